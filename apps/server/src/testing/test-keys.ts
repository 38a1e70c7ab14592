/**
 * A ledger key for tests that open a store directly (the server loads its own from the data
 * directory). Fixed, so a test can re-open a file and still verify its ledger.
 */
import { keyRing } from '../crypto/key-ring.js';
import { createLedgerKeys, type LedgerKeys } from '../ledger/chain.js';

/** @example createSqliteStore({ path, seal: testLedgerKeys() }) */
export function testLedgerKeys(): LedgerKeys {
  return createLedgerKeys(keyRing([{ id: 'testkey1', secret: Buffer.alloc(32, 7) }]));
}
