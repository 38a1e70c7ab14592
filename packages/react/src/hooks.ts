/**
 * Hooks over the client of the nearest `<HeedProvider>`. Each works before the client exists
 * (server rendering, the first render): consent reads as undecided, tracking is a no-op, as
 * it is in the SDK before a grant.
 */
import type { ConsentResult, ConsentState, Heed, PolicyDocument, Props, StopTimer } from '@heed/sdk';
import { useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { HeedContext } from './context.js';

const UNDECIDED: ConsentState = Object.freeze({ status: 'undecided', purposes: [], objected: [], restricted: false, policyVersion: null });
const NO_CLIENT: ConsentResult = Object.freeze({ ...UNDECIDED, ok: false });
const noop = () => undefined;

/**
 * The client, or `undefined` before it exists (see `HeedContext`).
 *
 * @example const heed = useHeed(); heed?.flush()
 */
export function useHeed(): Heed | undefined {
  return useContext(HeedContext);
}

export interface UseConsent extends ConsentState {
  /** False until the client exists (server rendering, first render). */
  readonly ready: boolean;
  /** The policy in force, once fetched (the hook fetches it: the one request allowed before a decision). */
  readonly policy: PolicyDocument | undefined;
  grant(purposes: readonly string[], objected?: readonly string[]): Promise<ConsentResult>;
  deny(): Promise<ConsentResult>;
  withdraw(): Promise<ConsentResult>;
  /** Adds one consent-based purpose to the grant. */
  grantPurpose(id: string): Promise<ConsentResult>;
  /** Takes one consent-based purpose back (withdrawing everything when it was the last). */
  withdrawPurpose(id: string): Promise<ConsentResult>;
  /** Objects to a legitimate-interest purpose (Art. 21), or lifts the objection with `on = false`. */
  object(id: string, on?: boolean): Promise<ConsentResult>;
  /** The privacy page for this user. */
  readonly privacyUrl: string | undefined;
}

/**
 * The consent state, re-rendering on every change (from this page, or a withdrawal on the
 * privacy page seen in a batch answer), with the calls that change it.
 *
 * @example
 * const consent = useConsent()
 * if (consent.status === 'granted') ...
 * <button onClick={() => consent.withdraw()}>Withdraw</button>
 */
export function useConsent(): UseConsent {
  const heed = useHeed();
  const subscribe = useCallback((listener: () => void) => heed?.consent.subscribe(listener) ?? noop, [heed]);
  const state = useSyncExternalStore(subscribe, () => heed?.consent.get() ?? UNDECIDED, () => UNDECIDED);
  const [policy, setPolicy] = useState<PolicyDocument | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void heed?.consent.policy().then((loaded) => live && setPolicy(loaded));
    return () => {
      live = false;
    };
    // A changed version (asked again after a policy change) means a new policy to show.
  }, [heed, state.status]);

  return useMemo(() => {
    const consent = heed?.consent;
    const call = (run: (api: Heed['consent']) => Promise<ConsentResult>) => (consent ? run(consent) : Promise.resolve(NO_CLIENT));
    return {
      ...state,
      ready: !!heed,
      policy,
      grant: (purposes, objected) => call((api) => api.grant(purposes, objected)),
      deny: () => call((api) => api.deny()),
      withdraw: () => call((api) => api.withdraw()),
      grantPurpose: (id) => call((api) => api.grant([...new Set([...state.purposes, id])])),
      withdrawPurpose: (id) => {
        const rest = state.purposes.filter((purpose) => purpose !== id);
        return call((api) => (rest.length ? api.grant(rest) : api.withdraw()));
      },
      object: (id, on = true) =>
        call((api) => api.grant(state.purposes, on ? [...new Set([...state.objected, id])] : state.objected.filter((purpose) => purpose !== id))),
      privacyUrl: consent?.privacyUrl(),
    } satisfies UseConsent;
  }, [heed, state, policy]);
}

/**
 * A stable `track` that works before the client exists (a no-op, like tracking before consent).
 *
 * @example const track = useTrack(); <button onClick={() => track('report.exported', { format: 'pdf' })}>
 */
export function useTrack(): (name: string, props?: Props) => void {
  const heed = useHeed();
  return useCallback((name: string, props?: Props) => heed?.track(name, props), [heed]);
}

/**
 * A stable `time`: call it with a name, call what it returns when the work is done.
 *
 * @example const time = useTime(); const stop = time('report.render'); await render(); stop()
 */
export function useTime(): (name: string) => StopTimer {
  const heed = useHeed();
  return useCallback((name: string) => heed?.time(name) ?? noop, [heed]);
}

/**
 * Times `name` while the component is mounted and `active` holds: tracked with its duration
 * when either ends (a dialog open, an editor in use).
 *
 * @example useTimer('report.editor', isEditing)
 */
export function useTimer(name: string, active = true, props?: Props): void {
  const heed = useHeed();
  const latest = useRef(props);
  latest.current = props;
  useEffect(() => {
    if (!heed || !active) return;
    const stop = heed.time(name);
    return () => stop(latest.current);
  }, [heed, name, active]);
}

/**
 * `identify`, with its arguments passed through as the SDK defines them (a later SDK may add
 * options after the user id). A no-op promise before the client exists.
 *
 * @example const identify = useIdentify(); useEffect(() => { if (user) void identify(user.id) }, [user])
 */
export function useIdentify(): (...args: Parameters<Heed['identify']>) => Promise<void> {
  const heed = useHeed();
  return useCallback((...args: Parameters<Heed['identify']>) => heed?.identify(...args) ?? Promise.resolve(), [heed]);
}
