/**
 * A `subjects` row as either driver returns it, and its mapping to the store's
 * `SubjectRecord`: SQLite gives flags as 0/1, PostgreSQL as booleans; both keep the purpose
 * lists as JSON text. A value the subject corrected (Art. 16) is read in place of the one
 * later batches report, so a correction sticks however the row is read.
 */
import type { SubjectState } from '@heed/policy';
import type { HoldGround, SubjectRecord } from './store.js';

type Flag = boolean | number;

export interface SubjectRow {
  project_id: string;
  pseudonym: string;
  key_id: string;
  created_at: number;
  tz: string | null;
  device: string | null;
  consent_version: string | null;
  consent_granted: string;
  consent_withdrawn: Flag;
  consent_at: number | null;
  objected: string;
  restricted: Flag;
  erased: Flag;
  last_seen_at: number | null;
  corrected: string;
  hold_ground: string | null;
  hold_reason: string | null;
  hold_until: number | null;
}

export function toSubjectRecord(row: SubjectRow): SubjectRecord {
  const state: SubjectState = {
    consent:
      row.consent_version === null
        ? null
        : { policyVersion: row.consent_version, granted: JSON.parse(row.consent_granted) as string[], withdrawn: Boolean(row.consent_withdrawn) },
    objected: JSON.parse(row.objected) as string[],
    restricted: Boolean(row.restricted),
    erased: Boolean(row.erased),
  };
  const corrected = JSON.parse(row.corrected) as { tz?: string; device?: string };
  return {
    projectId: row.project_id,
    pseudonym: row.pseudonym,
    keyId: row.key_id,
    createdAt: row.created_at,
    tz: corrected.tz ?? row.tz,
    device: corrected.device ?? row.device,
    consentAt: row.consent_at,
    lastSeenAt: row.last_seen_at,
    state,
    corrected: (['tz', 'device'] as const).filter((field) => corrected[field] !== undefined),
    legalHold: row.hold_ground === null ? null : { ground: row.hold_ground as HoldGround, reason: row.hold_reason ?? '', until: row.hold_until },
  };
}
