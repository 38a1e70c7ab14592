/** The policy archive and each project's own policy, on SQLite. */
import type { PolicyVersionRow, Store } from '../store.js';
import type { SqliteConnection } from './connection.js';

const COLUMNS = 'hash, project_id AS projectId, version, document, archived_at AS archivedAt';

export function createSqlitePolicies(connection: SqliteConnection): Pick<Store, 'archivePolicy' | 'findPolicy' | 'policyVersions' | 'setProjectPolicy'> {
  const { client } = connection;
  const q = {
    archive: client.prepare('INSERT INTO policy_versions (hash, project_id, version, document, archived_at) VALUES (@hash, @projectId, @version, @document, @archivedAt) ON CONFLICT DO NOTHING'),
    find: client.prepare<[string], PolicyVersionRow>(`SELECT ${COLUMNS} FROM policy_versions WHERE hash = ?`),
    line: client.prepare<[string], PolicyVersionRow>(`SELECT ${COLUMNS} FROM policy_versions WHERE project_id = ? ORDER BY archived_at DESC, rowid DESC`),
    version: client.prepare<[string, string], PolicyVersionRow>(`SELECT ${COLUMNS} FROM policy_versions WHERE project_id = ? AND version = ? ORDER BY archived_at DESC, rowid DESC`),
    setProject: client.prepare('UPDATE projects SET policy_hash = ? WHERE id = ?'),
  };
  return {
    async archivePolicy(row) {
      connection.writeTransaction(() => q.archive.run(row));
    },
    findPolicy: async (hash) => q.find.get(hash),
    policyVersions: async (projectId, version) => (version === undefined ? q.line.all(projectId) : q.version.all(projectId, version)),
    setProjectPolicy: async (projectId, hash) => connection.writeTransaction(() => q.setProject.run(hash, projectId).changes > 0),
  };
}
