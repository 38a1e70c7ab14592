/**
 * Sessions and active time. A session starts on the first activity after consent and ends
 * after `gapMs` without activity, or when the page goes away. Time counts as active only
 * while the page is visible and the last input is at most `idleMs` old; heartbeats carry
 * the active time since the previous one every `heartbeatMs`, so a crash loses at most one
 * interval. The server sums heartbeat and session_end `activeMs` and counts session_start.
 */
import type { HeedOptions } from './options.js';
import type { Platform, TimerHandle } from './platform.js';

export type SessionEventType = 'session_start' | 'heartbeat' | 'session_end';

export type SessionOptions = Pick<HeedOptions, 'sessionGapMs' | 'idleAfterMs' | 'heartbeatMs'>;

export interface SessionTracker {
  /** User input, a tracked event or the page shown: starts a session when none runs. Returns its id. */
  _activity(): string;
  /** Visibility changed; hiding reports the active time so far (the page may never return). */
  _visibility(visible: boolean): void;
  /** Ends the session now with its last active-time delta (pagehide, new subject, shutdown). */
  _end(): void;
  /** Forgets the session without a word (withdrawal: nothing more is recorded). */
  _stop(): void;
}

/**
 * @example
 * const session = createSessionTracker(platform, { sessionGapMs: 1_800_000, idleAfterMs: 60_000, heartbeatMs: 15_000 }, emit)
 * session._activity() // emits session_start
 */
export function createSessionTracker(
  { clock, newId, lifecycle }: Pick<Platform, 'clock' | 'newId' | 'lifecycle'>,
  { sessionGapMs = 30 * 60_000, idleAfterMs = 60_000, heartbeatMs = 15_000 }: SessionOptions,
  emit: (fields: { type: SessionEventType; activeMs?: number }, sessionId: string) => void,
): SessionTracker {
  let id: string | null = null;
  let visible = lifecycle.visible();
  let lastInput = 0;
  let lastTick = 0;
  let active = 0;
  let timer: TimerHandle | undefined;

  /** Credits the visible, recently-active time since the last tick. */
  function tick(): number {
    const now = clock.now();
    if (id && visible) active += Math.max(0, Math.min(now, lastInput + idleAfterMs) - lastTick);
    lastTick = now;
    return now;
  }

  /** Emits the active time since the last report; a heartbeat only when there is some. */
  function report(type: SessionEventType): void {
    if (id && (type === 'session_end' || active > 0)) emit({ type, activeMs: active }, id);
    active = 0;
  }

  function beat(): void {
    const now = tick();
    if (now - lastInput >= sessionGapMs) return end();
    report('heartbeat');
    timer = clock.setTimeout(beat, heartbeatMs);
  }

  /** A timer that already fired may be cleared again: timer handles are not reused. */
  function stop(): void {
    clock.clearTimeout(timer);
    id = null;
    active = 0;
  }

  function end(): void {
    tick();
    report('session_end');
    stop();
  }

  function activity(): string {
    // Credit the time up to now first; a session that outlived the gap then ends without more.
    const now = tick();
    if (id && now - lastInput >= sessionGapMs) end();
    lastInput = now;
    if (id) return id;
    // Without a session `tick` credits nothing, so `active` is still 0 here.
    id = newId();
    visible = lifecycle.visible();
    emit({ type: 'session_start' }, id);
    timer = clock.setTimeout(beat, heartbeatMs);
    return id;
  }

  return {
    _activity: activity,
    _visibility(next) {
      tick();
      visible = next;
      if (next) activity();
      else report('heartbeat');
    },
    _end: end,
    _stop: stop,
  };
}
