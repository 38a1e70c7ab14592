/**
 * `heed requests extend|complete|refuse` and `heed hold`: the life of a request that reached
 * staff by mail (Art. 12), and legal holds (Art. 17(3)), through the same domain functions as
 * the admin API. Dates are ISO (2026-12-24 or 2026-12-24T09:00:00Z).
 */
import { ConfigError } from '../config.js';
import { setHold } from '../rights/legal-hold.js';
import { completeRequest, extendRequest, refuseRequest } from '../rights/request-lifecycle.js';
import { findEverySubjectByUserId, forEveryRow } from '../rights/find-subject.js';
import { HOLD_GROUNDS, REFUSAL_GROUNDS, type HoldGround, type RefusalGround } from '../store/store.js';
import { BOOLEAN, STRING, on, text, type CliCommand, type Flags } from './command.js';
import { OPERATOR } from './rights-commands.js';

const needed = (flags: Flags, name: string, command: string): string => {
  const value = text(flags, name);
  if (value === undefined) throw new ConfigError(`${command} needs --${name}`);
  return value;
};
const date = (flags: Flags, name: string, command: string): number => {
  const at = Date.parse(needed(flags, name, command));
  if (Number.isNaN(at)) throw new ConfigError(`${command}: --${name} must be an ISO date such as 2026-12-24`);
  return at;
};
const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

export const REQUEST_COMMANDS: readonly CliCommand[] = [
  {
    name: 'requests extend',
    usage: '--project ID --id REQUEST --until DATE --reason TEXT --notice DATE',
    summary: 'extend a request by at most two months (Art. 12(3)); --notice: when the subject was told',
    flags: { project: STRING, id: STRING, until: STRING, reason: STRING, notice: STRING },
    async run({ flags, services }) {
      const command = 'requests extend';
      print(await extendRequest(services(), needed(flags, 'project', command), needed(flags, 'id', command), {
        until: date(flags, 'until', command), reason: needed(flags, 'reason', command), noticeAt: date(flags, 'notice', command),
      }));
      return 0;
    },
  },
  {
    name: 'requests complete',
    usage: '--project ID --id REQUEST --outcome TEXT',
    summary: 'mark a request answered, with its outcome',
    flags: { project: STRING, id: STRING, outcome: STRING },
    async run({ flags, services }) {
      const command = 'requests complete';
      print(await completeRequest(services(), needed(flags, 'project', command), needed(flags, 'id', command), needed(flags, 'outcome', command)));
      return 0;
    },
  },
  {
    name: 'requests refuse',
    usage: `--project ID --id REQUEST --ground ${REFUSAL_GROUNDS.join('|')} --reason TEXT`,
    summary: 'refuse a request on a ground, with the reason',
    flags: { project: STRING, id: STRING, ground: STRING, reason: STRING },
    async run({ flags, services }) {
      const command = 'requests refuse';
      const ground = needed(flags, 'ground', command) as RefusalGround;
      if (!REFUSAL_GROUNDS.includes(ground)) throw new ConfigError(`${command}: --ground must be one of ${REFUSAL_GROUNDS.join(', ')}`);
      print(await refuseRequest(services(), needed(flags, 'project', command), needed(flags, 'id', command), ground, needed(flags, 'reason', command)));
      return 0;
    },
  },
  {
    name: 'hold',
    usage: `--project ID --user USER_ID --ground ${HOLD_GROUNDS.join('|')} --reason TEXT [--until DATE] | --off`,
    summary: 'a legal hold (Art. 17(3)): erasure refused with the ground, retention paused',
    flags: { project: STRING, user: STRING, ground: STRING, reason: STRING, until: STRING, off: BOOLEAN },
    async run({ flags, services }) {
      const refs = await findEverySubjectByUserId(services(), needed(flags, 'project', 'hold'), needed(flags, 'user', 'hold'), OPERATOR);
      if (refs.length === 0) throw new ConfigError('no data is held about this user id in this project');
      if (on(flags, 'off')) {
        print(await forEveryRow(refs, (ref) => setHold(services(), ref, null)));
        return 0;
      }
      const ground = needed(flags, 'ground', 'hold') as HoldGround;
      if (!HOLD_GROUNDS.includes(ground)) throw new ConfigError(`hold: --ground must be one of ${HOLD_GROUNDS.join(', ')}`);
      const until = text(flags, 'until') === undefined ? null : date(flags, 'until', 'hold');
      print(await forEveryRow(refs, (ref) => setHold(services(), ref, { ground, reason: needed(flags, 'reason', 'hold'), until })));
      return 0;
    },
  },
];
