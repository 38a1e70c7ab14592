/** The policy archive and each project's own policy, on PostgreSQL. */
import type { PolicyVersionRow, Store } from '../store.js';
import type { PostgresConnection } from './connection.js';

const COLUMNS = 'hash, project_id AS "projectId", version, document, archived_at AS "archivedAt"';

export function createPostgresPolicies(connection: PostgresConnection): Pick<Store, 'archivePolicy' | 'findPolicy' | 'policyVersions' | 'setProjectPolicy'> {
  const { sql } = connection;
  return {
    async archivePolicy(row) {
      await sql`
        INSERT INTO policy_versions (hash, project_id, version, document, archived_at)
        VALUES (${row.hash}, ${row.projectId}, ${row.version}, ${row.document}, ${row.archivedAt}) ON CONFLICT DO NOTHING`;
    },
    findPolicy: async (hash) => (await sql<PolicyVersionRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM policy_versions WHERE hash = ${hash}`)[0],
    policyVersions: async (projectId, version) => [...(await sql<PolicyVersionRow[]>`
      SELECT ${sql.unsafe(COLUMNS)} FROM policy_versions
      WHERE project_id = ${projectId} ${version === undefined ? sql`` : sql`AND version = ${version}`}
      ORDER BY archived_at DESC, hash`)],
    setProjectPolicy: async (projectId, hash) => (await sql`UPDATE projects SET policy_hash = ${hash} WHERE id = ${projectId}`).count > 0,
  };
}
