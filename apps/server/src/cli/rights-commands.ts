/**
 * `heed export | erase | restrict | object | requests`: the rights for requests that reach
 * the controller by mail, from the command line, through the same domain functions as the
 * admin API (so each is proven in the ledger and logged with its due date).
 */
import { writeFileSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { accessZip } from '../rights/access.js';
import { findSubjectByUserId } from '../rights/find-subject.js';
import { orderRequests, type SubjectRef } from '../rights/requests.js';
import { access, erase, object, restrict } from '../rights/subject-rights.js';
import type { Services } from '../services.js';

export interface RightsFlags {
  readonly project?: string;
  readonly user?: string;
  readonly format?: string;
  readonly out?: string;
  readonly purpose?: string;
  readonly off?: boolean;
  readonly json?: boolean;
}

/** Whoever runs the CLI holds the data directory: staff, authenticated by the machine. */
const OPERATOR = { channel: 'staff', auth: 'operator_cli' } as const;

async function subject(services: Services, flags: RightsFlags): Promise<SubjectRef> {
  if (!flags.project || !flags.user) throw new ConfigError('name the subject with --project ID --user USER_ID');
  const ref = await findSubjectByUserId(services, flags.project, flags.user, OPERATOR);
  if (!ref) throw new ConfigError('no data is held about this user id in this project');
  return ref;
}

/** Runs one rights command; returns the exit code. */
export async function runRightsCommand(services: Services, command: string, flags: RightsFlags): Promise<number> {
  switch (command) {
    case 'export': {
      const format = flags.format === 'csv' ? 'csv' : 'json';
      const document = await access(services, await subject(services, flags), format === 'csv' ? 'portability' : 'access');
      const output = format === 'csv' ? accessZip(document) : `${JSON.stringify(document, null, 2)}\n`;
      if (flags.out) writeFileSync(flags.out, output, { mode: 0o600 });
      else if (typeof output === 'string') process.stdout.write(output);
      else throw new ConfigError('a CSV export is a zip: name a file with --out');
      if (flags.out) console.log(`export written to ${flags.out} (${document.events.length} events, ${document.consentHistory.length} ledger entries)`);
      return 0;
    }
    case 'erase':
      console.log(JSON.stringify(await erase(services, await subject(services, flags)), null, 2));
      return 0;
    case 'restrict':
      console.log(JSON.stringify(await restrict(services, await subject(services, flags), flags.off !== true)));
      return 0;
    case 'object': {
      if (!flags.purpose) throw new ConfigError('object needs --purpose (a legitimate-interest purpose)');
      console.log(JSON.stringify(await object(services, await subject(services, flags), [flags.purpose], flags.off !== true)));
      return 0;
    }
    case 'requests': {
      if (!flags.project) throw new ConfigError('requests needs --project ID');
      const rows = orderRequests(await services.store.listRightsRequests(flags.project), services.clock.now());
      if (flags.json) console.log(JSON.stringify(rows));
      else {
        console.log('received                  kind           via      due                       state');
        for (const row of rows) {
          const state = row.completedAt !== null ? 'done' : row.overdue ? 'OVERDUE' : 'open';
          console.log(`${new Date(row.receivedAt).toISOString()}  ${row.kind.padEnd(13)}  ${row.via.padEnd(7)}  ${new Date(row.dueAt).toISOString()}  ${state}`);
        }
      }
      return 0;
    }
    default:
      return 2;
  }
}

export const RIGHTS_COMMANDS = ['export', 'erase', 'restrict', 'object', 'requests'] as const;
