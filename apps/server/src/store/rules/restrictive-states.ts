/**
 * Who restricted processing (erased, restricted, withdrew consent, objected), as `heed restore`
 * reads it from the database a backup replaces, on either store: one statement both dialects
 * run (SQLite keeps booleans as 0 and 1, which `OR` and the row reader take as well).
 */
import type { RestrictiveState } from '../rows/subject-rows.js';

export const RESTRICTIVE_STATES_SQL = `
  SELECT project_id AS "projectId", pseudonym, erased, restricted, consent_withdrawn AS withdrawn, objected FROM subjects
  WHERE erased OR restricted OR consent_withdrawn OR objected <> '[]' ORDER BY project_id, pseudonym`;

/** A row of `RESTRICTIVE_STATES_SQL` as either driver answers it. */
export interface RestrictiveStateRow {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly erased: boolean | number;
  readonly restricted: boolean | number;
  readonly withdrawn: boolean | number;
  /** JSON array of purposes. */
  readonly objected: string;
}

/** @example toRestrictiveState({ projectId: 'p_1', pseudonym: 'x', erased: 1, restricted: 0, withdrawn: false, objected: '[]' }).erased // true */
export function toRestrictiveState(row: RestrictiveStateRow): RestrictiveState {
  return {
    projectId: row.projectId, pseudonym: row.pseudonym, erased: Boolean(row.erased), restricted: Boolean(row.restricted),
    withdrawn: Boolean(row.withdrawn), objected: JSON.parse(row.objected) as string[],
  };
}
