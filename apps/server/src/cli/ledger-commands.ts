/**
 * `heed ledger verify|head`: the consent ledger's keyed chain checked from the first entry,
 * and the newest entry of each project's chain, to anchor elsewhere (a ticket, a mail to the
 * DPO, a transparency log): `verify --anchor` then shows a chain cut short at its end, which
 * no chain can show by itself.
 */
import { ConfigError } from '../config.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import type { LedgerHead } from '../store/store.js';
import { BOOLEAN, STRING, on, text, type CliCommand } from './command.js';

const ANCHOR = /^([^:\s]+):(\d+):([0-9a-f]{64})$/;

export const LEDGER_COMMANDS: readonly CliCommand[] = [
  {
    name: 'ledger verify',
    usage: '[--anchor PROJECT:SEQ:HASH]',
    summary: "check every entry of the consent ledger against the ledger key (and an anchored head)",
    flags: { anchor: STRING },
    async run({ flags, services }) {
      const anchorText = text(flags, 'anchor');
      const match = anchorText === undefined ? undefined : ANCHOR.exec(anchorText);
      if (anchorText !== undefined && !match) throw new ConfigError('--anchor must be PROJECT:SEQ:HASH, as `heed ledger head` prints it');
      const anchors: LedgerHead[] = match ? [{ projectId: match[1]!, seq: Number(match[2]), hash: match[3]! }] : [];
      const { store, ledger } = services();
      const verdict = await verifyLedger(store.ledgerEntries(), ledger, anchors, await store.ledgerCheckpoints());
      if (verdict.ok) console.log(`ledger ok: ${verdict.entries} entries verified${anchors.length ? ', anchor found' : ''}`);
      else console.log(`ledger BROKEN at entry ${verdict.seq}: ${verdict.problem}`);
      return verdict.ok ? 0 : 1;
    },
  },
  {
    name: 'ledger head',
    usage: '[--json]',
    summary: "each project's newest ledger entry, as PROJECT:SEQ:HASH to keep elsewhere",
    flags: { json: BOOLEAN },
    async run({ flags, services }) {
      const heads = await services().store.ledgerHeads();
      if (on(flags, 'json')) console.log(JSON.stringify(heads));
      else for (const head of heads) console.log(`${head.projectId}:${head.seq}:${head.hash}`);
      return 0;
    },
  },
];
