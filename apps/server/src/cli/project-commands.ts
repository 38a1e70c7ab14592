/**
 * `heed project create|list` and `heed keys create|list|revoke`: a project and its keys on the
 * configured store. Secret keys are shown once, when they are made; the store keeps hashes.
 */
import { ConfigError } from '../config.js';
import { createKey, createProject } from '../projects/projects.js';
import type { KeyKind } from '../store/store.js';
import { BOOLEAN, STRING, on, text, type CliCommand } from './command.js';

const KEY_KINDS: readonly KeyKind[] = ['write', 'analyst', 'admin', 'backend'];
const isKeyKind = (kind: string | undefined): kind is KeyKind => KEY_KINDS.includes(kind as KeyKind);

export const PROJECT_COMMANDS: readonly CliCommand[] = [
  {
    name: 'project create',
    usage: '--name NAME [--json]',
    summary: 'create a project and its keys',
    flags: { name: STRING, json: BOOLEAN },
    async run({ flags, services }) {
      const name = text(flags, 'name');
      if (!name) throw new ConfigError('project create needs --name');
      const { store, clock, identityKeys } = services();
      const created = await createProject(store, identityKeys, { name, now: clock.now() });
      if (on(flags, 'json')) console.log(JSON.stringify(created));
      else {
        console.log(`project ${created.projectId} (identity verification: enforce)
  write key        ${created.writeKey}   (public: in every page that loads the SDK)
  analyst key      ${created.analystKey}
  admin key        ${created.adminKey}
  backend key      ${created.backendKey}   (your server: subject tokens and privacy links)
  identity secret  ${created.identitySecret}   (your server: signIdentity from @heed/sdk/node)
Secret keys are shown once; store them now.`);
      }
      return 0;
    },
  },
  {
    name: 'project list',
    flags: { json: BOOLEAN },
    async run({ flags, services }) {
      const rows = await services().store.listProjects();
      if (on(flags, 'json')) console.log(JSON.stringify(rows));
      else for (const row of rows) console.log(`${row.id}\t${row.name}\t${new Date(row.createdAt).toISOString()}\tidentity ${row.identityMode}`);
      return 0;
    },
  },
  {
    name: 'keys create',
    usage: `--project ID --kind ${KEY_KINDS.join('|')} [--label TEXT]`,
    flags: { project: STRING, kind: STRING, label: STRING, json: BOOLEAN },
    async run({ flags, services }) {
      const [projectId, kind] = [text(flags, 'project'), text(flags, 'kind')];
      if (!projectId || !isKeyKind(kind)) throw new ConfigError(`keys create needs --project and --kind ${KEY_KINDS.join('|')}`);
      const { store, clock } = services();
      const { key, row } = await createKey(store, { projectId, kind, label: text(flags, 'label') ?? '', now: clock.now() });
      console.log(on(flags, 'json') ? JSON.stringify({ id: row.id, kind, key }) : `${row.id}\t${kind}\t${key}`);
      return 0;
    },
  },
  {
    name: 'keys list',
    usage: '--project ID',
    flags: { project: STRING, json: BOOLEAN },
    async run({ flags, services }) {
      const projectId = text(flags, 'project');
      if (!projectId) throw new ConfigError('keys list needs --project');
      const rows = await services().store.listKeys(projectId);
      if (on(flags, 'json')) console.log(JSON.stringify(rows));
      else for (const row of rows) console.log(`${row.id}\t${row.kind}\t${row.label}\t${row.revokedAt === null ? 'live' : `revoked ${new Date(row.revokedAt).toISOString()}`}`);
      return 0;
    },
  },
  {
    name: 'keys revoke',
    usage: '--id KEY_ID',
    flags: { id: STRING },
    async run({ flags, services }) {
      const id = text(flags, 'id');
      if (!id) throw new ConfigError('keys revoke needs --id');
      const { store, clock } = services();
      const revoked = await store.revokeKey(id, clock.now());
      console.log(revoked ? `revoked ${id}` : `no live key ${id}`);
      return revoked ? 0 : 1;
    },
  },
];
