/**
 * Which subject the events carry: a random anonymous id created at grant time (and replaced
 * when it expires), or the hash of the user id given to `identify`. Before a grant nothing is
 * stored: an `identify` only waits in memory. This is the part identity changes touch; the
 * consent state machine only asks it for a subject when a grant needs one.
 */
import type { Fail } from '../errors.js';
import { subjectHash, subjectUsable } from '../identity.js';
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
  /** `identify`: switches to the user's subject; without a grant the hash only waits in memory. */
  _identify(userId: string): Promise<void>;
  /** `reset` (logout): a new anonymous subject; without a grant, an identified subject and its token leave with the user. */
  _reset(): Promise<void>;
  /** Drops an `identify` waiting for a grant (withdrawal, a policy change). */
  _forget(): void;
}

/** What the subjects need: the record they live in, and the client's hook around a change of subject. */
export interface SubjectsOptions {
  readonly _platform: Pick<Platform, 'clock' | 'newId' | 'hasher'>;
  readonly _options: Pick<HeedOptions, 'projectId' | 'anonymousIdLifetimeMs'>;
  readonly _fail: Fail;
  readonly _stored: () => StoredConsent;
  readonly _save: (next: StoredConsent) => void;
  readonly _wipe: () => void;
  /**
   * Gets each change of subject to make (`commit`), so the client can end the running session
   * before it (reported under the subject it belongs to) and start the next one after it.
   */
  readonly _switching: (commit: () => void) => void;
}

/**
 * @example const subjects = createSubjects({ _platform: platform, _options: options, _fail: fail, _stored: () => stored, _save: save, _wipe: wipe, _switching: (commit) => commit() })
 */
export function createSubjects({ _platform: { clock, newId, hasher }, _options: options, _fail: fail, _stored: stored, _save: save, _wipe: wipe, _switching: switching }: SubjectsOptions): Subjects {
  let pendingUser: Promise<string | void> | undefined;
  // Anonymous ids live 13 months (395 days) unless configured.
  const usable = () => subjectUsable(stored().subject, clock.now(), options.anonymousIdLifetimeMs ?? 395 * 86_400_000);

  /** The subject hash of a user id, or of a new random id for an anonymous subject. */
  function hashOf(id = newId()): Promise<string | void> {
    return subjectHash(hasher, options.projectId, id).catch((cause: unknown) => fail('hash', 'SHA-256', cause));
  }

  /**
   * Makes the subject `hashing` resolves to current, unacknowledged. The token carries over
   * only for the same subject (the server issues one per subject, on its first decision).
   */
  async function switchTo(hashing: Promise<string | void>, anonymous: boolean): Promise<void> {
    const hash = await hashing;
    if (hash && hash !== stored().subject?.hash) {
      switching(() => save({ ...stored(), subject: { hash, anonymous, created: clock.now(), acked: false } }));
    }
  }

  return {
    _prepare() {
      const user = pendingUser;
      pendingUser = undefined;
      // An anonymous id past its lifetime is replaced before anything is sent under it (and
      // if hashing failed, nothing is sent under the old one). Nothing to change: answered
      // at once, so a stored grant opens the gate before the host's first `track`.
      return user || !usable() ? switchTo(user ?? hashOf(), !user).then(usable) : true;
    },
    async _identify(userId) {
      const hashing = hashOf(String(userId));
      if (stored().decision) await switchTo(hashing, false);
      else pendingUser = hashing;
    },
    async _reset() {
      const { decision, denied, subject } = stored();
      pendingUser = undefined;
      if (decision) await switchTo(hashOf(), true);
      else if (subject && !subject.anonymous) {
        if (denied === undefined) wipe();
        else save({ denied });
      }
    },
    _forget() {
      pendingUser = undefined;
    },
  };
}
