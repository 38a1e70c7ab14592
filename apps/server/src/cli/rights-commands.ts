/**
 * `heed export | erase | restrict | object | requests`: the rights for requests that reach
 * the controller by mail, from the command line, through the same domain functions as the
 * admin API (so each is proven in the ledger and logged with its due date).
 */
import { writeFileSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { accessZip } from '../rights/access.js';
import { findEverySubjectByUserId, forEveryRow } from '../rights/find-subject.js';
import { orderRequests, type SubjectRef } from '../rights/requests.js';
import { accessEvery, eraseEvery, object, restrict } from '../rights/subject-rights.js';
import type { Services } from '../services.js';
import { BOOLEAN, STRING, on, text, type CliCommand, type Flags } from './command.js';

/** The flags that name the subject of a request. */
const SUBJECT_FLAGS = { project: STRING, user: STRING };

/** Whoever runs the CLI holds the data directory: staff, authenticated by the machine. */
export const OPERATOR = { channel: 'staff', auth: 'operator_cli' } as const;

/** The subject's rows by user id under every pseudonym key (the first: the newest key's). */
async function subjects(services: Services, flags: Flags): Promise<SubjectRef[]> {
  const [projectId, userId] = [text(flags, 'project'), text(flags, 'user')];
  if (!projectId || !userId) throw new ConfigError('name the subject with --project ID --user USER_ID');
  const refs = await findEverySubjectByUserId(services, projectId, userId, OPERATOR);
  if (refs.length === 0) throw new ConfigError('no data is held about this user id in this project');
  return refs;
}

export const RIGHTS_COMMANDS: readonly CliCommand[] = [
  {
    name: 'export',
    usage: '--project ID --user USER_ID [--format json|csv] [--out FILE]',
    summary: 'access / portability',
    flags: { ...SUBJECT_FLAGS, format: STRING, out: STRING },
    async run({ flags, services }) {
      const format = text(flags, 'format') === 'csv' ? 'csv' : 'json';
      const out = text(flags, 'out');
      const document = await accessEvery(services(), await subjects(services(), flags), format === 'csv' ? 'portability' : 'access');
      const output = format === 'csv' ? accessZip(document) : `${JSON.stringify(document, null, 2)}\n`;
      if (out) writeFileSync(out, output, { mode: 0o600 });
      else if (typeof output === 'string') process.stdout.write(output);
      else throw new ConfigError('a CSV export is a zip: name a file with --out');
      if (out) console.log(`export written to ${out} (${document.events.length} events, ${document.consentHistory.length} ledger entries)`);
      return 0;
    },
  },
  {
    name: 'erase',
    usage: '--project ID --user USER_ID',
    summary: 'erasure (Art. 17)',
    flags: SUBJECT_FLAGS,
    async run({ flags, services }) {
      console.log(JSON.stringify(await eraseEvery(services(), await subjects(services(), flags)), null, 2));
      return 0;
    },
  },
  {
    name: 'restrict',
    usage: '--project ID --user USER_ID [--off --informed DATE --how TEXT]',
    summary: 'restriction (Art. 18); lifting it (--off) needs --informed DATE --how TEXT (Art. 18(3))',
    flags: { ...SUBJECT_FLAGS, off: BOOLEAN, informed: STRING, how: STRING },
    async run({ flags, services }) {
      const informed = text(flags, 'informed');
      const how = text(flags, 'how');
      const informedAt = informed === undefined ? Number.NaN : Date.parse(informed);
      const notice = !Number.isNaN(informedAt) && how !== undefined ? { informedAt, how } : undefined;
      console.log(JSON.stringify(await forEveryRow(await subjects(services(), flags), (ref) => restrict(services(), ref, !on(flags, 'off'), notice))));
      return 0;
    },
  },
  {
    name: 'object',
    usage: '--project ID --user USER_ID --purpose P [--off]',
    summary: 'objection (Art. 21)',
    flags: { ...SUBJECT_FLAGS, purpose: STRING, off: BOOLEAN },
    async run({ flags, services }) {
      const purpose = text(flags, 'purpose');
      if (!purpose) throw new ConfigError('object needs --purpose (a legitimate-interest purpose)');
      console.log(JSON.stringify(await forEveryRow(await subjects(services(), flags), (ref) => object(services(), ref, [purpose], !on(flags, 'off')))));
      return 0;
    },
  },
  {
    name: 'requests',
    usage: '--project ID [--json]',
    summary: 'the rights-request log, overdue first',
    flags: { project: STRING, json: BOOLEAN },
    async run({ flags, services }) {
      const projectId = text(flags, 'project');
      if (!projectId) throw new ConfigError('requests needs --project ID');
      const { store, clock } = services();
      const rows = orderRequests(await store.listRightsRequests(projectId), clock.now());
      if (on(flags, 'json')) console.log(JSON.stringify(rows));
      else {
        console.log('received                  kind           via      due                       state');
        for (const row of rows) {
          const state = row.overdue ? 'OVERDUE' : row.state === 'extended' ? `extended (${row.extensionReason ?? ''})` : row.state === 'refused' ? `refused: ${row.refusalGround ?? ''}` : row.state;
          console.log(`${new Date(row.receivedAt).toISOString()}  ${row.kind.padEnd(13)}  ${row.via.padEnd(7)}  ${new Date(row.dueAt).toISOString()}  ${state}`);
        }
      }
      return 0;
    },
  },
];
