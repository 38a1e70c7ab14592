/**
 * The signer for platform backends (issue "Authenticated subjects"): your server, which knows
 * who is logged in, signs a short-lived identity assertion for that user with the project's
 * identity secret; the page passes it to `heed.identify(userId, { identity })`; the Heed
 * server checks it before it accepts a decision, issues a token or stores events for that
 * user. Without it, anyone who knows a user's id and reads the public write key could act as
 * that user. Node only (`node:crypto`); never ship the identity secret to a browser.
 *
 * The format is `@heed/policy`'s (identity/assertion.ts): `hid1.<secret id>.<expiry>.<mac>`.
 */
import { createHash, createHmac } from 'node:crypto';
import { assertionMessage, formatAssertion, identifiedPreimage } from '@heed/policy';

const SECRET_PATTERN = /^heed_id_([0-9A-Za-z]{12})_([0-9a-f]{64})$/;

export interface SignIdentityOptions {
  /** The project's identity secret, `heed_id_...` (shown once when the project was created or the secret rotated). */
  readonly secret: string;
  /** The project id the SDK is created with. */
  readonly projectId: string;
  /** Your user's id, as the page passes it to `identify`. It is hashed here and never sent. */
  readonly userId: string;
  /** How long the assertion holds. Default 24 hours; the server refuses more than its maximum (7 days by default). */
  readonly ttlSeconds?: number;
  /** The clock, in epoch milliseconds. Default `Date.now()`. */
  readonly now?: number;
}

/**
 * Signs an identity assertion for a logged-in user.
 *
 * @example
 * import { signIdentity } from '@heed/sdk/node';
 * const identity = signIdentity({ secret: process.env.HEED_IDENTITY_SECRET!, projectId: 'p_acme', userId: user.id });
 * // send `identity` to the page, which calls heed.identify(user.id, { identity })
 */
export function signIdentity(options: SignIdentityOptions): string {
  const subject = createHash('sha256').update(identifiedPreimage(options.projectId, options.userId)).digest('base64url');
  const { userId: _userId, ...rest } = options;
  return signSubjectHash({ ...rest, subject });
}

/**
 * The same, for a backend that holds only the client hash (`subject`) and never the user id.
 *
 * @example signSubjectHash({ secret, projectId: 'p_acme', subject: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg' })
 */
export function signSubjectHash(options: Omit<SignIdentityOptions, 'userId'> & { readonly subject: string }): string {
  const match = SECRET_PATTERN.exec(options.secret);
  if (!match) throw new TypeError('signIdentity: secret must be a Heed identity secret (heed_id_<id>_<64 hex>)');
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new RangeError('signIdentity: ttlSeconds must be a positive whole number');
  const { subject } = options;
  const expiresAt = Math.floor((options.now ?? Date.now()) / 1_000) + ttlSeconds;
  const mac = createHmac('sha256', Buffer.from(match[2]!, 'hex')).update(assertionMessage(options.projectId, subject, expiresAt)).digest('base64url');
  return formatAssertion({ secretId: match[1]!, expiresAt, mac });
}
