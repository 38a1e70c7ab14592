/**
 * `heed serve`, `heed migrate` and `heed demo`: run the server (with `--demo`, on weeks of
 * simulated use and with a copy-paste example), bring the store's schema up to date, or
 * simulate use through the real pipeline.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { signIdentity } from '@heed/sdk/node';
import { ConfigError, type Config } from '../config.js';
import { startServer } from '../server.js';
import { BOOLEAN, STRING, on, text, type CliCommand } from './command.js';
import { progressBar, runDemo } from './demo-command.js';
import { demoCurl, ensureDemoProject } from './demo-project.js';

const storeName = (config: Config) => (config.database.kind === 'sqlite' ? config.database.path : 'postgres');

async function serve(config: Config, demo: boolean): Promise<number> {
  // First start of the demo: weeks of simulated use through the real pipeline, so the
  // dashboard and the update-window advice have something to show.
  if (demo && !existsSync(join(config.dataDir, 'demo-project.json'))) {
    console.log('First start: simulating 3 weeks of use by 200 people through the real pipeline...');
    const result = await runDemo(config, { weeks: 3, users: 200, progress: progressBar });
    console.log(`  ${result.sessions} sessions, ${result.events} events; ${result.declined} people declined, ${result.objected} objected to update timing, ${result.restricted} restricted.`);
  }
  const server = await startServer(config);
  const { services } = server;
  console.log(`heed listening on ${server.url} (store: ${storeName(config)}, policy ${services.policy.version})`);
  if (demo) {
    const project = await ensureDemoProject(services, config.dataDir);
    // What the platform's backend would sign for its logged-in demo user (valid 24 hours).
    const identity = signIdentity({ secret: project.identitySecret, projectId: project.projectId, userId: 'demo-user', now: services.clock.now() });
    console.log(`
Demo project ${project.projectId} (identity verification: enforce)
  write key        ${project.writeKey}
  analyst key      ${project.analystKey}   (paste it into the dashboard)
  admin key        ${project.adminKey}
  backend key      ${project.backendKey}   (your server: subject tokens, privacy links)
  identity secret  ${project.identitySecret}   (your server: signIdentity from @heed/sdk/node)

  dashboard    ${server.url}/dashboard
  SDK demo     ${server.url}/sdk/demo?key=${project.writeKey}&project=${project.projectId}&user=demo-user&identity=${identity}
  privacy page ${server.url}/privacy   (the platform links to it with the subject token: /privacy#t=<token>)
  API docs     ${server.url}/docs   (OpenAPI: ${server.url}/openapi.json)
  policy       ${server.url}/v1/policy
  SDK script   ${server.url}/sdk/heed.js
  health       ${server.url}/healthz   metrics ${server.url}/metrics

Try it: a consent decision and a batch for the logged-in user "demo-user", with the identity
assertion your backend signs (HEED_IDENTITY_SECRET=<identity secret> pnpm heed identity sign --project ${project.projectId} --user demo-user):
${demoCurl(server.url, project, services.policy.version, services.clock.now())}
`);
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`${signal}: finishing in-flight requests, then closing the store`);
      void server.close().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

export const SERVE_COMMANDS: readonly CliCommand[] = [
  {
    name: 'serve',
    usage: '[--demo] [--port N] [--db PATH] [--data-dir DIR]',
    summary: 'run the server',
    flags: { demo: BOOLEAN },
    run: ({ config, flags }) => serve(config, on(flags, 'demo')),
  },
  {
    name: 'migrate',
    summary: 'apply migrations and exit',
    async run({ config, services }) {
      await services().store.ready?.();
      console.log(`migrations applied to ${storeName(config)}`);
      return 0;
    },
  },
  {
    name: 'demo',
    usage: '[--weeks 4] [--users 300]',
    summary: 'simulate weeks of use through the real pipeline',
    flags: { weeks: STRING, users: STRING },
    async run({ config, flags }) {
      const weeks = Number(text(flags, 'weeks') ?? 4);
      const count = Number(text(flags, 'users') ?? 300);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > 12 || !Number.isInteger(count) || count < 10 || count > 20_000) throw new ConfigError('demo: --weeks 1-12 and --users 10-20000');
      const result = await runDemo(config, { weeks, users: count, progress: progressBar });
      console.log(`demo: ${count} users (${result.declined} declined, ${result.objected} objected to update timing, ${result.restricted} restricted), ${result.sessions} sessions, ${result.events} events over ${weeks} weeks
  dashboard    heed serve, then open /dashboard
  analyst key  ${result.project.analystKey}`);
      return 0;
    },
  },
];
