/**
 * API keys: `heed_<kind>_<id>_<secret>`. The id finds the row; the secret is checked by
 * comparing SHA-256 digests in constant time, so response timing says nothing about how much
 * of a guessed key was right. Only the digest is stored; the key is shown once.
 */
import { timingSafeEqual } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import type { KeyKind } from '../store/store.js';
import { sha256Hex } from './digest.js';

const KIND_TAG: Record<KeyKind, string> = { write: 'wk', analyst: 'an', admin: 'ad', backend: 'bk' };
const TAG_KIND: Record<string, KeyKind> = { wk: 'write', an: 'analyst', ad: 'admin', bk: 'backend' };
// No '_' in the alphabet: it separates the parts of a key.
const alphabet = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
const KEY_PATTERN = /^heed_(wk|an|ad|bk)_([0-9A-Za-z]{12})_([0-9A-Za-z]{32})$/;

export interface IssuedKey {
  readonly id: string;
  readonly kind: KeyKind;
  /** The whole key, to show once. */
  readonly key: string;
  /** What is stored. */
  readonly hash: string;
}

/**
 * @example issueKey('analyst').key // 'heed_an_3fK9...'
 */
export function issueKey(kind: KeyKind): IssuedKey {
  const id = alphabet(12);
  const key = `heed_${KIND_TAG[kind]}_${id}_${alphabet(32)}`;
  return { id, kind, key, hash: sha256Hex(key) };
}

/** The id and kind a presented key claims, or undefined if it is not shaped like a key. */
export function parseKey(key: string): { id: string; kind: KeyKind } | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match) return undefined;
  return { id: match[2]!, kind: TAG_KIND[match[1]!]! };
}

/** Constant-time check of a presented key against a stored digest. */
export function keyMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(sha256Hex(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
