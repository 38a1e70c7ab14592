/**
 * The Hono app: middleware (security headers, request log, CORS, 405s), the route groups, and
 * the one error handler. Built from `Services`, so tests call `app.request()` on a real store
 * without opening a port.
 */
import { Hono } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { corsHeaders } from './http/cors.js';
import { createErrorHandler, problemResponse } from './http/on-error.js';
import { HttpProblem } from './http/problem.js';
import { createRateLimiter } from './limits/rate-limiter.js';
import { securityHeaders } from './http/security-headers.js';
import { httpMetrics } from './observability/http-metrics.js';
import { dashboardRoutes } from './pages/dashboard/dashboard-routes.js';
import { adminRoutes } from './routes/admin.js';
import { backendRoutes } from './routes/backend.js';
import { ingestRoutes } from './routes/ingest.js';
import { meRoutes } from './routes/me.js';
import { metricsRoutes } from './routes/metrics.js';
import { operationsDocsRoutes } from './routes/operations-docs.js';
import { privacyRoutes } from './routes/privacy.js';
import { operationsRoutes } from './routes/operations.js';
import { policyRoutes } from './routes/policy.js';
import { statsRoutes } from './routes/stats.js';
import type { Services } from './services.js';

export interface AppOptions {
  readonly bodyLimit: number;
  readonly rate: { readonly perSecond: number; readonly burst: number };
  readonly ingestOrigins: readonly string[];
  readonly corsOrigins: readonly string[];
  /** Bearer token for /metrics; without it only loopback clients may read the metrics. */
  readonly metricsToken?: string | undefined;
  /** The server's public base URL, for the privacy links it hands out; unset, the request's origin. */
  readonly publicUrl?: string | undefined;
  /** False while shutting down: readiness fails and new work is refused. */
  readonly ready?: () => boolean;
}

/**
 * @example const app = createApp(services, { bodyLimit: 65536, rate: { perSecond: 200, burst: 400 }, ingestOrigins: ['*'], corsOrigins: [] });
 */
export function createApp(services: Services, options: AppOptions) {
  const ready = options.ready ?? (() => true);
  const limiter = createRateLimiter({ ...options.rate, now: () => services.clock.now() });
  const app = new Hono();

  app.use(securityHeaders());
  app.use(httpMetrics(services.metrics));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    // Path only: queries and bodies may carry what must never reach a log.
    services.logger.debug('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) });
  });
  app.use(methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) =>
      problemResponse(c, new HttpProblem('method_not_allowed', { detail: `Use ${methods.join(', ')}.`, headers: { allow: methods.join(', ') } })),
  }));
  const ingestOrigin = options.ingestOrigins.includes('*') ? '*' : [...options.ingestOrigins];
  // The SDK reads Retry-After on 429 and 503 to pace its retries.
  const ingestCors = corsHeaders({ origin: ingestOrigin, allowMethods: ['POST'], exposeHeaders: ['retry-after'], maxAgeSeconds: 86_400 });
  app.use('/v1/batch', ingestCors);
  app.use('/v1/consent', ingestCors);
  app.use('/v1/policy', corsHeaders({ origin: ingestOrigin, allowMethods: ['GET'], maxAgeSeconds: 86_400 }));
  app.use('/v1/policy/*', corsHeaders({ origin: ingestOrigin, allowMethods: ['GET'], maxAgeSeconds: 86_400 }));
  // Read and rights routes carry tokens and keys: only configured origins, never `null`.
  const readCors = corsHeaders({ origin: [...options.corsOrigins], allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'], allowHeaders: ['authorization', 'content-type'], exposeHeaders: ['retry-after', 'content-disposition'], maxAgeSeconds: 600 });
  // `/v1/me/*` matches `/v1/me` itself too.
  app.use('/v1/me/*', readCors);
  app.use('/v1/admin/*', readCors);
  app.use('/v1/stats/*', readCors);
  app.use('/v1/batch', async (c, next) => {
    if (!ready()) throw new HttpProblem('shutting_down', { detail: 'Retry shortly.', headers: { 'retry-after': '1' } });
    await next();
  });

  app.route('/', operationsRoutes(services, { ready }));
  app.route('/', policyRoutes(services));
  app.route('/', metricsRoutes(services, { token: options.metricsToken }));
  app.route('/', operationsDocsRoutes(services));
  app.route('/', ingestRoutes(services, { bodyLimit: options.bodyLimit, limiter }));
  app.route('/', meRoutes(services));
  app.route('/', adminRoutes(services));
  app.route('/', backendRoutes(services, { publicUrl: options.publicUrl }));
  app.route('/', privacyRoutes(services));
  app.route('/', statsRoutes(services));
  app.route('/', dashboardRoutes());

  app.notFound((c) => problemResponse(c, new HttpProblem('not_found', { detail: 'No such route.' })));
  app.onError(createErrorHandler(services.logger));
  return app;
}
