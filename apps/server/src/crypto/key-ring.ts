/**
 * Server secrets that live apart from the database (DESIGN.md, "Pseudonymisation"): the
 * pseudonymisation key, the ledger key that seals the consent chain, and the identity master
 * key that project identity secrets are derived from. Whoever copies the database alone can
 * neither recompute a pseudonym, nor rewrite the ledger unnoticed, nor sign for a user.
 *
 * Each ring holds keys with ids, the current one first, so a key can be rotated while what
 * older keys made still verifies. A ring comes from an environment variable (one key, hex or
 * base64, at least 32 bytes) or from a key file in the data directory, created on first use
 * with owner-only permissions (0600).
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RingKey {
  readonly id: string;
  readonly secret: Buffer;
}

/** Keys by id, the current one first. */
export interface KeyRing {
  readonly current: RingKey;
  readonly keys: readonly RingKey[];
  byId(id: string): RingKey | undefined;
}

interface KeyFile {
  current: string;
  keys: Record<string, string>;
}

const keyIdOf = (secret: Buffer) => createHash('sha256').update(secret).digest('hex').slice(0, 8);

/**
 * @example keyRing([{ id: 'k1', secret: randomBytes(32) }]).current.id // 'k1'
 */
export function keyRing(keys: readonly RingKey[]): KeyRing {
  const [current] = keys;
  if (!current) throw new Error('a key ring needs at least one key');
  const byId = new Map(keys.map((key) => [key.id, key]));
  return { current, keys, byId: (id) => byId.get(id) };
}

/**
 * The ring from `envKey` if set, else from `keyFile` (created on first use). `name` names the
 * variable in errors.
 *
 * @example loadKeyRing({ name: 'HEED_LEDGER_KEY', envKey: process.env.HEED_LEDGER_KEY, keyFile: './data/ledger.key' })
 */
export function loadKeyRing(options: { name: string; envKey: string | undefined; keyFile: string }): KeyRing {
  if (options.envKey !== undefined) {
    const secret = /^[0-9a-f]+$/i.test(options.envKey) ? Buffer.from(options.envKey, 'hex') : Buffer.from(options.envKey, 'base64');
    if (secret.length < 32) throw new Error(`${options.name} must hold at least 32 bytes (hex or base64)`);
    return keyRing([{ id: keyIdOf(secret), secret }]);
  }
  if (!existsSync(options.keyFile)) {
    const secret = randomBytes(32);
    const file: KeyFile = { current: keyIdOf(secret), keys: { [keyIdOf(secret)]: secret.toString('base64') } };
    mkdirSync(dirname(options.keyFile), { recursive: true });
    try {
      writeFileSync(options.keyFile, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first (several servers starting on one data directory): use theirs.
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(options.keyFile, 0o600);
  const file = JSON.parse(readFileSync(options.keyFile, 'utf8')) as KeyFile;
  const current = file.keys[file.current];
  if (!current) throw new Error(`key file ${options.keyFile} names a current key it does not hold`);
  const others = Object.entries(file.keys).filter(([id]) => id !== file.current);
  return keyRing([
    { id: file.current, secret: Buffer.from(current, 'base64') },
    ...others.map(([id, secret]) => ({ id, secret: Buffer.from(secret, 'base64') })),
  ]);
}
