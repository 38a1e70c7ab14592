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
import { createPseudonymizer, loadPseudonymKeys } from './crypto/pseudonymizer.js';
import { loadPolicy } from './load-policy.js';
import { scheduleRetention } from './retention/run-retention.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './observability/metrics.js';
import { createKeyResolver } from './projects/key-resolver.js';
import type { Services } from './services.js';
import { createPostgresStore } from './store/postgres/index.js';
import { createSqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';

export function openStore(config: Config, logger?: Logger): Store {
  if (config.database.kind === 'postgres') {
    return createPostgresStore({
      url: config.database.url,
      poolSize: config.postgres.poolSize,
      statementTimeoutMs: config.postgres.statementTimeoutMs,
      lockTimeoutMs: config.busyTimeoutMs,
      ssl: config.postgres.ssl,
    });
  }
  return createSqliteStore({
    path: config.database.path,
    busyTimeoutMs: config.busyTimeoutMs,
    synchronous: config.synchronous,
    // Without a logger the store logs in the same format itself.
    ...(logger ? { onWarning: (message: string) => logger.warn(message) } : {}),
  });
}

export function buildServices(config: Config, overrides: { clock?: Clock; logger?: Logger; store?: Store } = {}): Services {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, now: () => clock.now() });
  const policy = loadPolicy(config.policyFile);
  const store = overrides.store ?? openStore(config, logger);
  const pseudonymizer = createPseudonymizer(loadPseudonymKeys({ envKey: config.pseudonymKey, keyFile: config.pseudonymKeyFile }));
  return {
    store,
    policy,
    schemas: createWireSchemas(policy.limits),
    pseudonymizer,
    keys: createKeyResolver(store, { ttlMs: config.keyCacheMs, now: () => clock.now() }),
    clock,
    logger,
    metrics: createMetrics(),
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
  let accepting = true;
  const app = createApp(services, {
    bodyLimit: config.bodyLimit ?? services.policy.limits.maxBodyBytes,
    rate: config.rate,
    ingestOrigins: config.ingestOrigins,
    corsOrigins: config.corsOrigins,
    metricsToken: config.metricsToken,
    ready: () => accepting,
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(started));
    started.once('error', reject);
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
        await services.store.close();
      })();
      return closing;
    },
  };
}
