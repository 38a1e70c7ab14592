/**
 * `heed identity sign|status|mode|rotate`: identity verification from the command line.
 * `sign` is for trying the signed flow by hand (curl, the SDK demo): a platform signs in its
 * backend with `signIdentity` from `@heed/sdk/node`, the same function this calls.
 */
import { signIdentity } from '@heed/sdk/node';
import { ConfigError } from '../config.js';
import { DEFAULT_OVERLAP_MS, identityStatus, rotateIdentitySecret, setIdentityMode } from '../identity/identity-admin.js';
import { parseDurationParam } from '../stats/params.js';
import { IDENTITY_MODES, type IdentityMode } from '../store/store.js';
import { BOOLEAN, STRING, on, text, type CliCommand } from './command.js';
import { OPERATOR } from './rights-commands.js';

const duration = (flag: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const ms = parseDurationParam(value);
  if (ms === undefined) throw new ConfigError(`--${flag} must be a duration such as 1h, 24h or 7d`);
  return ms;
};

const project = (flags: Parameters<typeof text>[0], command: string): string => {
  const id = text(flags, 'project');
  if (!id) throw new ConfigError(`${command} needs --project ID`);
  return id;
};

export const IDENTITY_COMMANDS: readonly CliCommand[] = [
  {
    name: 'identity sign',
    usage: '--project ID --user USER_ID [--ttl 24h]',
    summary: 'sign an identity assertion as a backend would (secret: HEED_IDENTITY_SECRET)',
    flags: { project: STRING, user: STRING, ttl: STRING, secret: STRING },
    async run({ flags }) {
      const userId = text(flags, 'user');
      const secret = text(flags, 'secret') ?? process.env.HEED_IDENTITY_SECRET;
      if (!userId || !secret) throw new ConfigError('identity sign needs --project ID --user USER_ID and the secret in HEED_IDENTITY_SECRET (or --secret)');
      const ttlSeconds = Math.round(duration('ttl', text(flags, 'ttl'), 86_400_000) / 1_000);
      const projectId = project(flags, 'identity sign');
      if (!/^heed_id_[0-9A-Za-z]{12}_[0-9a-f]{64}$/.test(secret)) throw new ConfigError('identity sign: the secret must be a Heed identity secret (heed_id_<id>_<64 hex>), as `project create` or `identity rotate` showed it');
      console.log(signIdentity({ secret, projectId, userId, ttlSeconds }));
      return 0;
    },
  },
  {
    name: 'identity status',
    usage: '--project ID [--json]',
    summary: 'the mode, the identity secrets, and what report mode accepted unverified (30 days)',
    flags: { project: STRING, json: BOOLEAN },
    async run({ flags, services }) {
      const status = await identityStatus(services(), project(flags, 'identity status'));
      if (on(flags, 'json')) {
        console.log(JSON.stringify(status));
        return 0;
      }
      console.log(`identity verification: ${status.mode}`);
      for (const secret of status.secrets) {
        const until = secret.expiresAt === null ? 'current' : `${secret.live ? 'valid until' : 'ended'} ${new Date(secret.expiresAt).toISOString()}`;
        console.log(`  secret ${secret.id}  created ${new Date(secret.createdAt).toISOString()}  ${until}`);
      }
      const failures = Object.entries(status.unverified.byFailure).map(([failure, n]) => `${failure} ${n}`).join(', ');
      console.log(`unverified, last ${status.unverified.days} days: ${status.unverified.total}${failures ? ` (${failures})` : ''}`);
      return 0;
    },
  },
  {
    name: 'identity mode',
    usage: `--project ID ${IDENTITY_MODES.join('|')}`,
    summary: 'enforce (refuse unproven subjects), report (accept and count them) or off',
    flags: { project: STRING },
    async run({ flags, args, services }) {
      const mode = args[0] as IdentityMode | undefined;
      if (!mode || !IDENTITY_MODES.includes(mode)) throw new ConfigError(`identity mode needs one of ${IDENTITY_MODES.join(', ')}`);
      console.log(JSON.stringify(await setIdentityMode(services(), project(flags, 'identity mode'), mode, OPERATOR)));
      return 0;
    },
  },
  {
    name: 'identity rotate',
    usage: '--project ID [--overlap 7d]',
    summary: 'a new identity secret (shown once); the previous ones keep verifying for the overlap',
    flags: { project: STRING, overlap: STRING },
    async run({ flags, services }) {
      const overlapMs = duration('overlap', text(flags, 'overlap'), DEFAULT_OVERLAP_MS);
      const rotated = await rotateIdentitySecret(services(), project(flags, 'identity rotate'), overlapMs, OPERATOR);
      const previous = rotated.previousSecretsValidUntil === null ? '' : `\nprevious secrets verify until ${new Date(rotated.previousSecretsValidUntil).toISOString()}`;
      console.log(`identity secret ${rotated.secret}${previous}\nShown once; store it now.`);
      return 0;
    },
  },
];
