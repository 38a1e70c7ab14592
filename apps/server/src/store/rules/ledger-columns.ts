/**
 * The consent ledger's columns as every reader selects them (both dialects accept the
 * double-quoted aliases), and the row -> entry mapping: written once, since the list had been
 * copied four times across the two stores.
 */
import type { LedgerEntry } from '../store.js';

export const LEDGER_COLUMNS = `seq, project_id AS "projectId", pseudonym, action, policy_version AS "policyVersion", policy_hash AS "policyHash",
  detail AS "detailJson", at, channel, auth, key_id AS "keyId", prev_hash AS "prevHash", hash`;

/** A ledger row as selected with `LEDGER_COLUMNS`: the detail still as its hashed text. */
export type LedgerRowText = Omit<LedgerEntry, 'detail'>;

/** @example parseLedgerRow(row).detail // { granted: ['statistics'], ... } */
export const parseLedgerRow = (row: LedgerRowText): LedgerEntry => ({ ...row, detail: JSON.parse(row.detailJson) as Record<string, unknown> });
