/**
 * Wiring: config -> services -> app -> HTTP server, and the graceful shutdown that operators
 * expect (stop accepting, finish in-flight batches, close the store).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createWireSchemas } from '@heed/policy';
import { createApp } from './app.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { loadKeyRing } from './crypto/key-ring.js';
import { createPseudonymizer } from './crypto/pseudonymizer.js';
import { createIdentityCheck } from './identity/identity-check.js';
import { createProofVerifier } from './identity/verify-proof.js';
import { createLedgerKeys, type LedgerKeys } from './ledger/chain.js';
import { sealLegacyLedgers } from './ledger/seal-legacy.js';
import { createRateLimiter } from './limits/rate-limiter.js';
import { loadPolicy, policyDigest } from './load-policy.js';
import { archiveServerPolicy } from './policies/policy-archive.js';
import { createPolicyRegistry } from './policies/policy-registry.js';
import { scheduleRetention } from './retention/run-retention.js';
import { keepStatisticsFilled } from './stats/statistics-keeper.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './observability/metrics.js';
import { createKeyResolver } from './projects/key-resolver.js';
import type { Services } from './services.js';
import { createPostgresStore } from './store/postgres/index.js';
import { createSqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';

/** The ledger key ring of this configuration (`HEED_LEDGER_KEY`, else `<data dir>/ledger.key`). */
export function loadLedgerKeys(config: Config): LedgerKeys {
  return createLedgerKeys(loadKeyRing({ name: 'HEED_LEDGER_KEY', envKey: config.ledgerKey, keyFile: config.ledgerKeyFile }));
}

/**
 * @example const store = openStore(config, { seal: loadLedgerKeys(config) });
 */
export function openStore(config: Config, options: { seal: LedgerKeys; logger?: Logger }): Store {
  const { seal, logger } = options;
  if (config.database.kind === 'postgres') {
    return createPostgresStore({
      seal,
      url: config.database.url,
      poolSize: config.postgres.poolSize,
      ...(config.postgres.ingestGroups === undefined ? {} : { ingestGroups: config.postgres.ingestGroups }),
      statementTimeoutMs: config.postgres.statementTimeoutMs,
      lockTimeoutMs: config.busyTimeoutMs,
      ssl: config.postgres.ssl,
    });
  }
  return createSqliteStore({
    seal,
    path: config.database.path,
    busyTimeoutMs: config.busyTimeoutMs,
    synchronous: config.synchronous,
    // Without a logger the store logs in the same format itself.
    ...(logger ? { onWarning: (message: string) => logger.warn(message) } : {}),
  });
}

export function buildServices(config: Config, overrides: { clock?: Clock; logger?: Logger; store?: Store } = {}): Services {
  const clock = overrides.clock ?? systemClock;
  const now = () => clock.now();
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, now });
  const policy = loadPolicy(config.policyFile);
  const ledger = loadLedgerKeys(config);
  const store = overrides.store ?? openStore(config, { seal: ledger, logger });
  const pseudonymizer = createPseudonymizer(loadKeyRing({ name: 'HEED_PSEUDONYM_KEY', envKey: config.pseudonymKey, keyFile: config.pseudonymKeyFile }));
  const identityKeys = loadKeyRing({ name: 'HEED_IDENTITY_KEY', envKey: config.identityKey, keyFile: config.identityKeyFile });
  const metrics = createMetrics();
  const perMinute = (count: number) => createRateLimiter({ perSecond: count / 60, burst: count, now });
  return {
    store,
    policy,
    policyHash: policyDigest(policy),
    policies: createPolicyRegistry(store, policy, { now, cacheMs: config.keyCacheMs }),
    schemas: createWireSchemas(policy.limits),
    pseudonymizer,
    ledger,
    identityKeys,
    identity: createIdentityCheck({
      store,
      verifier: createProofVerifier({ store, ring: identityKeys, now, maxTtlMs: config.identityMaxTtlMs, cacheMs: config.keyCacheMs }),
      failures: perMinute(config.identityFailuresPerMinute),
      now,
      cacheMs: config.keyCacheMs,
      metrics,
    }),
    limits: { consentPerSubject: perMinute(config.consentPerSubjectPerMinute) },
    keys: createKeyResolver(store, { ttlMs: config.keyCacheMs, now }),
    clock,
    logger,
    metrics,
  };
}

export interface RunningServer {
  readonly url: string;
  readonly services: Services;
  /** Stops accepting, waits for in-flight requests (up to the grace period), closes the store. */
  close(): Promise<void>;
}

/**
 * @example const server = await startServer(loadConfig(process.env)); console.log(server.url);
 */
export async function startServer(config: Config, overrides: Parameters<typeof buildServices>[1] = {}): Promise<RunningServer> {
  const services = buildServices(config, overrides);
  const stopRetention = scheduleRetention(services, config.retentionIntervalMs);
  // A networked store migrates before serving: a bad URL or refused migration stops the start.
  await services.store.ready?.();
  // The policy in force is archived (and refused if it widens the last one unannounced), and a
  // ledger from before the ledger key is re-sealed under it once, before anything appends.
  await archiveServerPolicy(services);
  await sealLegacyLedgers(services);
  const stopKeeper = keepStatisticsFilled(services, config.statsKeepIntervalMs);
  let accepting = true;
  const app = createApp(services, {
    bodyLimit: config.bodyLimit ?? services.policy.limits.maxBodyBytes,
    rate: config.rate,
    ingestOrigins: config.ingestOrigins,
    corsOrigins: config.corsOrigins,
    metricsToken: config.metricsToken,
    publicUrl: config.publicUrl,
    ready: () => accepting,
  });
  const server: ServerType = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(started));
    started.once('error', reject);
  }).catch(async (error: unknown) => {
    // A port taken: the jobs stop, so the caller can close the store with nothing reading it.
    stopRetention();
    await stopKeeper();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    services,
    close() {
      closing ??= (async () => {
        accepting = false;
        stopRetention();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            resolve();
          }, config.shutdownGraceMs);
          server.close(() => {
            clearTimeout(timer);
            resolve();
          });
          (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        });
        // Before the store closes: a turn in progress reads from it.
        await stopKeeper();
        await services.store.close();
      })();
      return closing;
    },
  };
}
