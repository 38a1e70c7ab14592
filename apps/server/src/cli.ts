#!/usr/bin/env node
/**
 * `heed`: the server's command line. `serve` runs the server (with `--demo`, a demo project
 * and a copy-paste example); the rest manage projects, keys and the ledger.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderRecordOfProcessing } from '@heed/policy';
import { demoCurl, ensureDemoProject } from './cli/demo-project.js';
import { renderComplianceReport } from './compliance/compliance-report.js';
import { RIGHTS_COMMANDS, runRightsCommand } from './cli/rights-commands.js';
import { progressBar, runDemo } from './cli/demo-command.js';
import { STATS_COMMANDS, runStatsCommand } from './cli/stats-commands.js';
import { ConfigError, loadConfig } from './config.js';
import { verifyLedger } from './ledger/verify-ledger.js';
import { loadPolicy } from './load-policy.js';
import { runRetention } from './retention/run-retention.js';
import { createKey, createProject } from './projects/projects.js';
import { buildServices, startServer } from './server.js';
import type { KeyKind } from './store/store.js';

const USAGE = `usage: heed <command> [options]

  serve [--demo] [--port N] [--db PATH] [--data-dir DIR]   run the server
  migrate                                                   apply migrations and exit
  project create --name NAME [--json]                       create a project and its keys
  project list
  keys create --project ID --kind write|analyst|admin [--label TEXT]
  keys list --project ID
  keys revoke --id KEY_ID
  ledger verify                                             re-compute the consent ledger's hashes
  retention run [--json]                                    delete what the policy's retention periods let go
  export --project ID --user USER_ID [--format json|csv] [--out FILE]   access / portability
  erase --project ID --user USER_ID                         erasure (Art. 17)
  restrict --project ID --user USER_ID [--off]              restriction (Art. 18)
  object --project ID --user USER_ID --purpose P [--off]    objection (Art. 21)
  requests --project ID [--json]                            the rights-request log, overdue first
  policy record                                             the policy as an Art. 30 record (Markdown)
  compliance                                                the Art. 30 record, then each right and principle with the tests that prove it
  stats usage|sessions|features|heatmap --project ID [--from D] [--to D] [--tz ZONE] [--grain hour|day|week] [--weeks N]
  windows --project ID [--duration 2h] [--weeks 8] [--days mon-fri] [--hours 0-6] [--notice 24h] [--limit 5]
                                                            statistics and update windows; --format table|json|csv
  demo [--weeks 4] [--users 300]                            simulate weeks of use through the real pipeline

Environment: HEED_PORT, HEED_HOST, HEED_DATA_DIR, HEED_DATABASE_URL, HEED_POLICY_FILE,
HEED_PSEUDONYM_KEY, HEED_CORS_ORIGINS, HEED_BODY_LIMIT, HEED_RATE_PER_SECOND, HEED_RATE_BURST,
HEED_METRICS_TOKEN (bearer for /metrics; unset, loopback clients only).`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' }, 'data-dir': { type: 'string' },
      policy: { type: 'string' }, name: { type: 'string' }, project: { type: 'string' }, kind: { type: 'string' },
      label: { type: 'string' }, id: { type: 'string' }, user: { type: 'string' }, format: { type: 'string' },
      out: { type: 'string' }, purpose: { type: 'string' }, off: { type: 'boolean' },
      from: { type: 'string' }, to: { type: 'string' }, tz: { type: 'string' }, grain: { type: 'string' }, weeks: { type: 'string' },
      duration: { type: 'string' }, days: { type: 'string' }, hours: { type: 'string' }, notice: { type: 'string' }, limit: { type: 'string' },
      users: { type: 'string' },
    },
  });
  const [command, sub] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const config = loadConfig(process.env, { port: values.port, host: values.host, db: values.db, 'data-dir': values['data-dir'], policy: values.policy });

  if (command === 'policy' && sub === 'record') {
    console.log(renderRecordOfProcessing(loadPolicy(config.policyFile)));
    return 0;
  }
  if (command === 'compliance') {
    console.log(renderComplianceReport(loadPolicy(config.policyFile)));
    return 0;
  }
  if (command === 'serve') return serveCommand(config, values.demo === true);
  if (command === 'demo') {
    const weeks = Number(values.weeks ?? 4);
    const count = Number(values.users ?? 300);
    if (!Number.isInteger(weeks) || weeks < 1 || weeks > 12 || !Number.isInteger(count) || count < 10 || count > 20_000) throw new ConfigError('demo: --weeks 1-12 and --users 10-20000');
    const result = await runDemo(config, { weeks, users: count, progress: progressBar });
    console.log(`demo: ${count} users (${result.declined} declined, ${result.objected} objected to update timing, ${result.restricted} restricted), ${result.sessions} sessions, ${result.events} events over ${weeks} weeks
  dashboard    heed serve, then open /dashboard
  analyst key  ${result.project.analystKey}`);
    return 0;
  }

  const services = buildServices(config);
  const { store, clock } = services;
  try {
    if ((RIGHTS_COMMANDS as readonly string[]).includes(command)) return await runRightsCommand(services, command, values);
    if ((STATS_COMMANDS as readonly string[]).includes(command)) return await runStatsCommand(services, command, sub, values);
    switch (`${command} ${sub ?? ''}`.trim()) {
      case 'migrate':
        await store.ready?.();
        console.log(`migrations applied to ${config.database.kind === 'sqlite' ? config.database.path : 'postgres'}`);
        return 0;
      case 'project create': {
        if (!values.name) throw new ConfigError('project create needs --name');
        const created = await createProject(store, services.identityKeys, { name: values.name, now: clock.now() });
        if (values.json) console.log(JSON.stringify(created));
        else console.log(`project ${created.projectId}\n  write key        ${created.writeKey}\n  analyst key      ${created.analystKey}\n  admin key        ${created.adminKey}\n  backend key      ${created.backendKey}\n  identity secret  ${created.identitySecret}\nSecret keys are shown once; store them now.`);
        return 0;
      }
      case 'project list': {
        const rows = await store.listProjects();
        if (values.json) console.log(JSON.stringify(rows));
        else for (const row of rows) console.log(`${row.id}\t${row.name}\t${new Date(row.createdAt).toISOString()}`);
        return 0;
      }
      case 'keys create': {
        const kind = values.kind as KeyKind;
        if (!values.project || !['write', 'analyst', 'admin', 'backend'].includes(kind)) throw new ConfigError('keys create needs --project and --kind write|analyst|admin|backend');
        const { key, row } = await createKey(store, { projectId: values.project, kind, label: values.label ?? '', now: clock.now() });
        console.log(values.json ? JSON.stringify({ id: row.id, kind, key }) : `${row.id}\t${kind}\t${key}`);
        return 0;
      }
      case 'keys list': {
        if (!values.project) throw new ConfigError('keys list needs --project');
        const rows = await store.listKeys(values.project);
        if (values.json) console.log(JSON.stringify(rows));
        else for (const row of rows) console.log(`${row.id}\t${row.kind}\t${row.label}\t${row.revokedAt === null ? 'live' : `revoked ${new Date(row.revokedAt).toISOString()}`}`);
        return 0;
      }
      case 'keys revoke': {
        if (!values.id) throw new ConfigError('keys revoke needs --id');
        const revoked = await store.revokeKey(values.id, clock.now());
        console.log(revoked ? `revoked ${values.id}` : `no live key ${values.id}`);
        return revoked ? 0 : 1;
      }
      case 'retention run': {
        const report = await runRetention(services, { onProgress: (dataClass, n) => process.stderr.write(`\r${dataClass}: ${n} deleted`) });
        process.stderr.write('\n');
        if (values.json) console.log(JSON.stringify(report));
        else for (const [dataClass, n] of Object.entries(report.deleted)) console.log(`${dataClass.padEnd(15)} ${String(n).padStart(8)} deleted (older than ${new Date(report.cutoffs[dataClass as keyof typeof report.cutoffs]).toISOString()})`);
        return 0;
      }
      case 'ledger verify': {
        const verdict = await verifyLedger(store.ledgerEntries(), services.ledger);
        if (verdict.ok) console.log(`ledger ok: ${verdict.entries} entries verified`);
        else console.log(`ledger BROKEN at entry ${verdict.seq}: ${verdict.problem}`);
        return verdict.ok ? 0 : 1;
      }
      default:
        console.error(`unknown command: ${command} ${sub ?? ''}\n\n${USAGE}`);
        return 2;
    }
  } finally {
    await store.close();
  }
}

async function serveCommand(config: ReturnType<typeof loadConfig>, demo: boolean): Promise<number> {
  // First start of the demo: weeks of simulated use through the real pipeline, so the
  // dashboard and the update-window advice have something to show.
  if (demo && !existsSync(join(config.dataDir, 'demo-project.json'))) {
    console.log('First start: simulating 3 weeks of use by 200 people through the real pipeline...');
    const result = await runDemo(config, { weeks: 3, users: 200, progress: progressBar });
    console.log(`  ${result.sessions} sessions, ${result.events} events; ${result.declined} people declined, ${result.objected} objected to update timing, ${result.restricted} restricted.`);
  }
  const server = await startServer(config);
  const { services } = server;
  console.log(`heed listening on ${server.url} (store: ${config.database.kind === 'sqlite' ? config.database.path : 'postgres'}, policy ${services.policy.version})`);
  if (demo) {
    const project = await ensureDemoProject(services, config.dataDir);
    console.log(`
Demo project ${project.projectId}
  write key    ${project.writeKey}
  analyst key  ${project.analystKey}   (paste it into the dashboard)
  admin key    ${project.adminKey}

  dashboard    ${server.url}/dashboard
  SDK demo     ${server.url}/sdk/demo?key=${project.writeKey}&project=${project.projectId}
  privacy page ${server.url}/privacy   (the platform links to it with the subject token: /privacy#t=<token>)
  API docs     ${server.url}/docs   (OpenAPI: ${server.url}/openapi.json)
  policy       ${server.url}/v1/policy
  SDK script   ${server.url}/sdk/heed.js
  health       ${server.url}/healthz   metrics ${server.url}/metrics

Try it (a consent decision, then a batch):
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`heed: ${error.message}`);
    else console.error('heed: failed:', error);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  },
);
