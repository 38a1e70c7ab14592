/**
 * /openapi.json validates as OpenAPI 3.1 (against the official schema, through
 * @seriousme/openapi-schema-validator) and documents exactly the routes the app serves, read
 * from Hono's `app.routes`: a new route without an entry in `operations.ts` fails here.
 * /docs renders every operation with no script and no outside asset.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { buildServices } from '../server.js';
import type { Services } from '../services.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

type Operation = { operationId: string; security: Record<string, string[]>[]; responses: Record<string, { content?: Record<string, unknown> }>; requestBody?: unknown; 'x-heed-credential'?: unknown };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, any>; securitySchemes: Record<string, unknown> } };

let t: TestServer;
let document: Document;
beforeAll(async () => {
  t = await startTestServer();
  const response = await fetch(`${t.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  document = (await response.json()) as Document;
});
afterAll(() => t.close());

const operations = () => Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

describe('GET /openapi.json', () => {
  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(document.openapi).toBe('3.1.0');
    // The validator is not vacuous: a response without its required description fails.
    const broken = { ...document, paths: { '/x': { get: { responses: { 200: {} } } } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('documents every route the app serves, and no other', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'heed-openapi-'));
    const services: Services = buildServices(loadConfig({ HEED_DATA_DIR: dataDir }));
    try {
      const app = createApp(services, { bodyLimit: 65_536, rate: { perSecond: 10, burst: 10 }, ingestOrigins: ['*'], corsOrigins: [] });
      // `use()` middleware registers under ALL; every handler under its own method.
      const served = new Set(app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`));
      const documented = new Set(operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`));
      expect([...served].filter((route) => !documented.has(route))).toEqual([]);
      expect([...documented].filter((route) => !served.has(route))).toEqual([]);
      expect(documented.size).toBe(served.size);
    } finally {
      await services.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers every error as problem+json, and names the credential of each operation', () => {
    const ids = new Set<string>();
    for (const { path, method, op } of operations()) {
      expect(ids.has(op.operationId)).toBe(false);
      ids.add(op.operationId);
      expect(op.responses['500'], `${method} ${path}`).toBeDefined();
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
      }
      const schemes = op.security.flatMap((entry) => Object.keys(entry));
      if (path.startsWith('/v1/stats/')) expect(schemes).toEqual(['analystKey']);
      else if (path.startsWith('/v1/admin/')) expect(schemes).toEqual(['adminKey']);
      else if (path.startsWith('/v1/me')) expect(schemes).toEqual(['subjectToken']);
      else if (path.startsWith('/v1/backend/')) expect(schemes).toEqual(['backendKey']);
      else if (path === '/metrics') expect(schemes).toEqual(['metricsToken']);
      else expect(schemes).toEqual([]);
      const bodyCredential = path === '/v1/batch' || path === '/v1/consent';
      expect(op['x-heed-credential'] !== undefined).toBe(bodyCredential);
    }
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['adminKey', 'analystKey', 'backendKey', 'metricsToken', 'subjectToken']);
    expect(document.paths['/v1/batch']!.post!.responses['503']).toMatchObject({ headers: { 'Retry-After': { schema: { type: 'integer' } } } });
  });

  it('takes request bodies and query parameters from the routes\' zod schemas', () => {
    const { schemas } = document.components;
    const limits = t.server.services.policy.limits;
    expect(schemas.BatchRequest.required).toEqual(['writeKey', 'sentAt', 'tz', 'device', 'sdk', 'events']);
    expect(schemas.BatchRequest.properties.events.maxItems).toBe(limits.maxEventsPerBatch);
    expect(schemas.BatchRequest.properties.device.enum).toEqual(['desktop', 'mobile', 'tablet', 'other']);
    expect(schemas.BatchRequest.properties.events.items.oneOf.map((event: any) => event.properties.type.const)).toEqual(['session_start', 'heartbeat', 'track', 'session_end']);
    expect(schemas.ConsentRequest.required).toEqual(['writeKey', 'subject', 'policyVersion', 'purposes', 'ts']);
    expect(schemas.Rectification).toMatchObject({ additionalProperties: false, properties: { device: { enum: ['desktop', 'mobile', 'tablet', 'other'] } } });
    expect(schemas.AdminEraseRequest).toMatchObject({ required: ['userId'], additionalProperties: false });
    expect(schemas.BatchResponse.required).toEqual(['accepted', 'duplicates', 'suppressed', 'reasons', 'rejected', 'rejections', 'consentRequired', 'policyVersion']);
    const usage = document.paths['/v1/stats/usage']!.get as unknown as { parameters: { name: string; in: string; schema: { enum?: string[] } }[] };
    expect(usage.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['query:tz', 'query:format', 'query:from', 'query:to', 'query:grain']);
    expect(usage.parameters[1]!.schema.enum).toEqual(['json', 'csv']);
    expect(usage.parameters[4]!.schema.enum).toEqual(['hour', 'day', 'week']);
  });
});

describe('GET /docs', () => {
  it('lists every operation on one page that loads nothing from elsewhere and runs no script', async () => {
    const response = await fetch(`${t.url}/docs`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    const html = await response.text();
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!heed\.dev\/problems)/);
    for (const { path, op } of operations()) {
      expect(html).toContain(`id="${op.operationId}"`);
      expect(html).toContain(`<code>${path}</code>`);
    }
  });
});
