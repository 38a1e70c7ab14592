/** `heed ledger verify`: the consent ledger's hash chain, re-computed from the first entry. */
import { verifyLedger } from '../ledger/verify-ledger.js';
import type { CliCommand } from './command.js';

export const LEDGER_COMMANDS: readonly CliCommand[] = [
  {
    name: 'ledger verify',
    summary: "re-compute the consent ledger's hashes",
    async run({ services }) {
      const verdict = await verifyLedger(services().store.ledgerEntries());
      if (verdict.ok) console.log(`ledger ok: ${verdict.entries} entries verified`);
      else console.log(`ledger BROKEN at entry ${verdict.seq}: ${verdict.problem}`);
      return verdict.ok ? 0 : 1;
    },
  },
];
