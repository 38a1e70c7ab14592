/**
 * Subject tokens: the bearer credential of `/v1/me` (the subject's own rights). Issued only to
 * a verified caller (issue "Authenticated subjects"): with a signed identity decision, on an
 * anonymous subject's first decision (its device), or minted by the platform's backend for its
 * logged-in user. Stored as SHA-256 digests with an id the ledger names; shown once.
 */
import { customAlphabet, nanoid } from 'nanoid';
import { sha256Hex } from '../crypto/digest.js';
import type { ActorChannel, NewSubjectToken } from '../store/store.js';

const tokenId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

/**
 * @example const { token, stored } = newSubjectToken('backend'); // token: 32 characters, stored.hash: its SHA-256
 */
export function newSubjectToken(channel: ActorChannel): { token: string; stored: NewSubjectToken } {
  const token = nanoid(32);
  return { token, stored: { id: `tk_${tokenId()}`, hash: sha256Hex(token), channel } };
}

/**
 * The privacy page for a token: the token rides in the fragment, which browsers never send
 * to a server, so it stays out of every access log on the way.
 *
 * @example privacyUrl('https://heed.example.com', token) // 'https://heed.example.com/privacy#t=...'
 */
export const privacyUrl = (base: string, token: string): string => `${base.replace(/\/+$/, '')}/privacy#t=${token}`;
