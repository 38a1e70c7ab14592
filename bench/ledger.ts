/**
 * Consent decisions per second with a small and with a large consent ledger, on SQLite:
 * recording a decision must cost the same whatever the ledger holds (issue "Authenticated
 * subjects": before, each append found the chain's head by sorting the project's ledger, and
 * 100,000 consenting subjects went from 235 to 99 decisions/s). Each decision runs the whole
 * domain path in process (`recordConsent`: identity verification of a signed assertion, the
 * pseudonym, the per-subject limit, the subject row, the token and the keyed ledger append in
 * one transaction); the assertions are signed before the clock starts. The large ledger is
 * filled with valid keyed entries straight into the table (it is the size that matters, not how
 * it got there), and `heed ledger verify` would pass on it.
 *
 * `pnpm --filter @heed/bench exec tsx ledger.ts [--small 1000] [--large 1000000] [--decisions 3000] [--rounds 3]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { signSubjectHash } from '@heed/sdk/node';
import { buildServices, createProject, identifiedHash, loadConfig, type Services } from '@heed/server';
import { recordConsent } from '../apps/server/src/ingest/record-consent.js';
import Database from 'better-sqlite3';
import { median } from './lib/stats.js';

export interface LedgerFigures {
  readonly small: { readonly entries: number; readonly decisionsPerSecond: number[] };
  readonly large: { readonly entries: number; readonly decisionsPerSecond: number[] };
  /** Median at the large ledger over the median at the small one: 1.0 is "the same cost". */
  readonly ratio: number;
  readonly loadAverage: number[];
}

const GENESIS = '0'.repeat(64);

/** Appends `count` valid keyed entries to the project's chain, straight into the file. */
function fill(services: Services, path: string, projectId: string, count: number): void {
  const db = new Database(path);
  const head = db.prepare<[string], { seq: number; hash: string }>('SELECT seq, hash FROM ledger_heads WHERE project_id = ?').get(projectId);
  let prevHash = head?.hash ?? GENESIS;
  const insert = db.prepare(
    `INSERT INTO consent_ledger (project_id, pseudonym, action, policy_version, policy_hash, detail, at, channel, auth, key_id, prev_hash, hash)
     VALUES (?, ?, 'decision', ?, ?, ?, ?, 'sdk', 'anonymous_id', ?, ?, ?)`,
  );
  const detailJson = JSON.stringify({ granted: ['statistics'], denied: ['marketing'], objected: [], gpc: false });
  let last = 0;
  db.transaction(() => {
    for (let n = 0; n < count; n++) {
      const fields = {
        projectId, pseudonym: `filler-${n}`, action: 'decision', policyVersion: services.policy.version, policyHash: services.policyHash,
        detailJson, at: n, channel: 'sdk', auth: 'anonymous_id',
      };
      const hash = services.ledger.seal(prevHash, fields);
      last = Number(insert.run(projectId, fields.pseudonym, fields.policyVersion, fields.policyHash, detailJson, n, services.ledger.keyId, prevHash, hash).lastInsertRowid);
      prevHash = hash;
    }
    db.prepare('INSERT INTO ledger_heads (project_id, seq, hash) VALUES (?, ?, ?) ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash')
      .run(projectId, last, prevHash);
  })();
  db.close();
}

/** Decisions per second over `decisions` new, signed subjects. */
async function measure(services: Services, project: { projectId: string; writeKey: string; identitySecret: string }, decisions: number, round: string): Promise<number> {
  const now = services.clock.now();
  const requests = Array.from({ length: decisions }, (_, n) => {
    const subject = identifiedHash(project.projectId, `bench-${round}-${n}`);
    return {
      writeKey: project.writeKey, subject, identity: signSubjectHash({ secret: project.identitySecret, projectId: project.projectId, subject, now }),
      policyVersion: services.policy.version, purposes: { statistics: true }, gpc: false, objections: [], ts: now,
    };
  });
  const started = performance.now();
  for (const request of requests) await recordConsent(services, project.projectId, request);
  return decisions / ((performance.now() - started) / 1_000);
}

/** A server's services on a data directory of its own, with a project whose ledger holds `entries`. */
async function prepare(entries: number) {
  const dir = mkdtempSync(join(tmpdir(), 'heed-bench-ledger-'));
  const config = loadConfig({ HEED_DATA_DIR: dir, HEED_CONSENT_PER_SUBJECT_PER_MINUTE: '10000', HEED_LOG_LEVEL: 'warn' });
  const path = config.database.kind === 'sqlite' ? config.database.path : '';
  const setup = buildServices(config);
  const project = await createProject(setup.store, setup.identityKeys, { name: 'Ledger bench', now: setup.clock.now() });
  await setup.store.close();
  fill(setup, path, project.projectId, entries);
  const services = buildServices(config);
  return { dir, services, project };
}

/**
 * The two ledgers run in alternating rounds (small, large, small, ...), so both see the same
 * minutes of a shared machine; each gets a warm-up round first.
 *
 * @example const figures = await benchLedger({ small: 1_000, large: 1_000_000, decisions: 3_000, rounds: 5 });
 */
export async function benchLedger(options: { small: number; large: number; decisions: number; rounds: number }): Promise<LedgerFigures> {
  const loads = [loadavg()[0]!];
  const small = await prepare(options.small);
  const large = await prepare(options.large);
  const rates = { small: [] as number[], large: [] as number[] };
  try {
    for (const side of [small, large]) await measure(side.services, side.project, Math.min(options.decisions, 1_000), 'warm');
    for (let round = 0; round < options.rounds; round++) {
      rates.small.push(await measure(small.services, small.project, options.decisions, `r${round}`));
      rates.large.push(await measure(large.services, large.project, options.decisions, `r${round}`));
    }
    loads.push(loadavg()[0]!);
    return {
      small: { entries: options.small, decisionsPerSecond: rates.small },
      large: { entries: options.large, decisionsPerSecond: rates.large },
      ratio: median(rates.large) / median(rates.small),
      loadAverage: loads.map((value) => Number(value.toFixed(1))),
    };
  } finally {
    for (const side of [small, large]) {
      await side.services.store.close();
      rmSync(side.dir, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { small: { type: 'string' }, large: { type: 'string' }, decisions: { type: 'string' }, rounds: { type: 'string' } } });
  const figures = await benchLedger({
    small: Number(values.small ?? 1_000),
    large: Number(values.large ?? 1_000_000),
    decisions: Number(values.decisions ?? 3_000),
    rounds: Number(values.rounds ?? 3),
  });
  const fmt = (rates: number[]) => `median ${Math.round(median(rates)).toLocaleString('en')} /s (rounds ${rates.map((rate) => Math.round(rate).toLocaleString('en')).join(', ')})`;
  console.log(`consent decisions, SQLite, whole domain path:
  ledger of ${figures.small.entries.toLocaleString('en')} entries: ${fmt(figures.small.decisionsPerSecond)}
  ledger of ${figures.large.entries.toLocaleString('en')} entries: ${fmt(figures.large.decisionsPerSecond)}
  ratio large / small: ${figures.ratio.toFixed(2)} (goal: within 10%, 0.90-1.10)   load average ${figures.loadAverage.join(' -> ')}`);
}
