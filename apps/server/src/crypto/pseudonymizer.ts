/**
 * Client hash -> stored pseudonym, with a keyed HMAC whose secret lives apart from the
 * database (DESIGN.md, "Pseudonymisation"): whoever copies the database cannot recompute a
 * pseudonym from a user id without the key. Every key has an id, stored with each subject, so
 * a new key can be introduced while old pseudonyms still resolve.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PseudonymKey {
  readonly id: string;
  readonly secret: Buffer;
}

export interface Pseudonymizer {
  /** The id of the key new pseudonyms are made with. */
  readonly currentKeyId: string;
  /** The pseudonym under the current key. */
  pseudonym(projectId: string, clientHash: string): string;
  /** The pseudonym under every known key, current first: what lookups must try. */
  candidates(projectId: string, clientHash: string): { keyId: string; pseudonym: string }[];
}

const keyIdOf = (secret: Buffer) => createHash('sha256').update(secret).digest('hex').slice(0, 8);

/**
 * @example createPseudonymizer([{ id: 'k1', secret: randomBytes(32) }]).pseudonym('proj', 'hash')
 */
export function createPseudonymizer(keys: readonly PseudonymKey[]): Pseudonymizer {
  const [current] = keys;
  if (!current) throw new Error('at least one pseudonymisation key is needed');
  const mac = (key: PseudonymKey, projectId: string, clientHash: string) =>
    createHmac('sha256', key.secret).update(`${projectId}:${clientHash}`).digest('base64url');
  return {
    currentKeyId: current.id,
    pseudonym: (projectId, clientHash) => mac(current, projectId, clientHash),
    candidates: (projectId, clientHash) => keys.map((key) => ({ keyId: key.id, pseudonym: mac(key, projectId, clientHash) })),
  };
}

interface KeyFile {
  current: string;
  keys: Record<string, string>;
}

/**
 * The keys from `HEED_PSEUDONYM_KEY` (base64 or hex, at least 32 bytes) if set, else from a
 * key file in the data directory, created on first use with owner-only permissions (0600).
 */
export function loadPseudonymKeys(options: { envKey: string | undefined; keyFile: string }): PseudonymKey[] {
  if (options.envKey !== undefined) {
    const secret = /^[0-9a-f]+$/i.test(options.envKey) ? Buffer.from(options.envKey, 'hex') : Buffer.from(options.envKey, 'base64');
    if (secret.length < 32) throw new Error('HEED_PSEUDONYM_KEY must hold at least 32 bytes (hex or base64)');
    return [{ id: keyIdOf(secret), secret }];
  }
  if (!existsSync(options.keyFile)) {
    const secret = randomBytes(32);
    const file: KeyFile = { current: keyIdOf(secret), keys: { [keyIdOf(secret)]: secret.toString('base64') } };
    mkdirSync(dirname(options.keyFile), { recursive: true });
    writeFileSync(options.keyFile, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(options.keyFile, 0o600);
  const file = JSON.parse(readFileSync(options.keyFile, 'utf8')) as KeyFile;
  const current = file.keys[file.current];
  if (!current) throw new Error(`pseudonym key file ${options.keyFile} names a current key it does not hold`);
  const others = Object.entries(file.keys).filter(([id]) => id !== file.current);
  return [
    { id: file.current, secret: Buffer.from(current, 'base64') },
    ...others.map(([id, secret]) => ({ id, secret: Buffer.from(secret, 'base64') })),
  ];
}
