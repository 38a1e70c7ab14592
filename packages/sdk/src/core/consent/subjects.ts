/**
 * Which subject the events carry: a random anonymous id created at grant time (and replaced
 * when it expires), or the hash of the user id given to `identify`. Before a grant nothing is
 * stored: an `identify` only waits in memory. This is the part identity changes touch; the
 * consent state machine only asks it for a subject when a grant needs one.
 */
import type { Fail } from '../errors.js';
import type { IdentifyOptions } from '../heed.js';
import { subjectHash, subjectUsable, type SubjectRecord } from '../identity.js';
import type { HeedOptions } from '../options.js';
import type { Platform } from '../platform.js';
import type { StoredConsent } from './stored-consent.js';

export interface Subjects {
  /**
   * Makes a subject current for a grant: the identified user waiting for one, else the stored
   * subject while it is valid, else a new anonymous one. Whether one is usable (not when
   * hashing failed): `true` at once when nothing had to change.
   */
  _prepare(): true | Promise<boolean>;
  /**
   * `identify`: switches to the user's subject (the same user again: a fresh assertion); without
   * a grant the hash only waits in memory.
   */
  _identify(userId: string, options?: IdentifyOptions): Promise<void>;
  /** Drops an `identify` waiting for a grant (withdrawal, a policy change). */
  _forget(): void;
}

/** A subject about to become current. */
type NewSubject = Pick<SubjectRecord, 'hash' | 'anonymous' | 'proof'>;

/** What the subjects need: the record they live in, and the client's hook around a change of subject. */
export interface SubjectsOptions {
  readonly _platform: Pick<Platform, 'clock' | 'newId' | 'hasher'>;
  readonly _options: Pick<HeedOptions, 'projectId' | 'anonymousIdLifetimeMs'>;
  readonly _fail: Fail;
  readonly _stored: () => StoredConsent;
  readonly _save: (next: StoredConsent) => void;
  /**
   * Gets each change of subject to make (`commit`), so the client can end the running session
   * before it (reported under the subject it belongs to) and start the next one after it.
   */
  readonly _switching: (commit: () => void) => void;
}

/**
 * @example const subjects = createSubjects({ _platform: platform, _options: options, _fail: fail, _stored: () => stored, _save: save, _switching: (commit) => commit() })
 */
export function createSubjects({ _platform: { clock, newId, hasher }, _options: options, _fail: fail, _stored: stored, _save: save, _switching: switching }: SubjectsOptions): Subjects {
  let pendingUser: Promise<NewSubject | void> | undefined;
  // Anonymous ids live 13 months (395 days) unless configured.
  const usable = () => subjectUsable(stored().subject, clock.now(), options.anonymousIdLifetimeMs ?? 395 * 86_400_000);

  /**
   * A subject for a user id and its assertion, or (no id) a new anonymous one proven by its
   * random id.
   */
  function subjectOf(userId?: string, identity?: string): Promise<NewSubject | void> {
    const anonymous = userId === undefined;
    const id = userId ?? newId();
    return subjectHash(hasher, options.projectId, id, anonymous).then(
      (hash): NewSubject => ({ hash, anonymous, proof: anonymous ? { anonymousId: id } : identity === undefined ? undefined : { identity } }),
      (cause: unknown) => fail('hash', 'SHA-256', cause),
    );
  }

  /**
   * Makes the subject `making` resolves to current. A new subject starts unacknowledged (its
   * token, issued per subject, does not carry over), and the one it replaces stays as `prev`
   * so its queued events still go out with its proof; the same subject keeps its record and
   * takes the new proof (a fresh assertion).
   */
  async function switchTo(making: Promise<NewSubject | void>): Promise<void> {
    const next = await making;
    const current = stored().subject;
    if (!next) return;
    if (next.hash === current?.hash) {
      if (next.proof) save({ ...stored(), subject: { ...current, proof: next.proof } });
      return;
    }
    switching(() => save({ ...stored(), prev: current, subject: { ...next, created: clock.now(), acked: false } }));
  }

  return {
    _prepare() {
      const user = pendingUser;
      pendingUser = undefined;
      // An anonymous id past its lifetime is replaced before anything is sent under it (and
      // if hashing failed, nothing is sent under the old one). Nothing to change: answered
      // at once, so a stored grant opens the gate before the host's first `track`.
      return user || !usable() ? switchTo(user ?? subjectOf()).then(usable) : true;
    },
    async _identify(userId, identifyOptions) {
      const making = subjectOf(String(userId), identifyOptions?.identity);
      if (stored().decision) await switchTo(making);
      else pendingUser = making;
    },
    _forget() {
      pendingUser = undefined;
    },
  };
}
