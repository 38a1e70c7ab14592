/**
 * Identity assertions, version 1: how a platform's backend vouches that its logged-in user is
 * the one a client hash belongs to (the identity verification that Intercom and Front do with
 * an HMAC of the user id). Knowing a user's id is not enough to act for them: the SDK carries
 * an assertion the backend signed with the project's identity secret, and the server checks
 * it on consent decisions, token issuance and batches.
 *
 * Format: `hid1.<secretId>.<expiresAt>.<mac>`
 * - `secretId`: the 12-character id of the identity secret that signed (rotation keeps the
 *   previous secret valid for an overlap period, so the server must know which one);
 * - `expiresAt`: epoch seconds, decimal; the server refuses an expired assertion and one that
 *   claims to live longer than its configured maximum;
 * - `mac`: base64url(HMAC-SHA256(secret, message)) without padding, 43 characters, over
 *   the message below: project and subject are bound by the MAC, not carried in the token.
 *
 * This module is pure (no crypto): the signer (`@heed/sdk/node`) and the verifier (server)
 * compute the HMAC with `node:crypto` over `assertionMessage`.
 */

/** The prefix that names the format's version. */
export const ASSERTION_VERSION = 'hid1';

const ASSERTION_PATTERN = /^hid1\.([0-9A-Za-z]{12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export interface ParsedAssertion {
  readonly secretId: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
  readonly mac: string;
}

/**
 * The bytes the MAC covers: the format version, the project, the client hash and the expiry,
 * one per line (none of them can contain a newline).
 *
 * @example assertionMessage('p_acme', 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg', 1764003600)
 */
export const assertionMessage = (projectId: string, subjectHash: string, expiresAt: number): string =>
  `${ASSERTION_VERSION}\n${projectId}\n${subjectHash}\n${expiresAt}`;

/**
 * The parts of an assertion, or undefined when it is not shaped like one.
 *
 * @example parseAssertion('hid1.AbCdEf123456.1764003600.' + 'x'.repeat(43))?.expiresAt // 1764003600
 */
export function parseAssertion(text: string): ParsedAssertion | undefined {
  const match = ASSERTION_PATTERN.exec(text);
  return match ? { secretId: match[1]!, expiresAt: Number(match[2]), mac: match[3]! } : undefined;
}

/**
 * @example formatAssertion({ secretId: 'AbCdEf123456', expiresAt: 1764003600, mac }) // 'hid1.AbCdEf123456.1764003600.<mac>'
 */
export const formatAssertion = ({ secretId, expiresAt, mac }: ParsedAssertion): string => `${ASSERTION_VERSION}.${secretId}.${expiresAt}.${mac}`;
