/** GET /openapi.json and GET /docs: built once at start from the operation table. */
import { Hono } from 'hono';
import { buildOpenApiDocument } from '../openapi/build-document.js';
import { DOCS_CSP, renderDocsPage } from '../openapi/docs-page.js';
import type { Services } from '../services.js';

export function operationsDocsRoutes(services: Services) {
  const document = buildOpenApiDocument(services.schemas, services.policy);
  const body = JSON.stringify(document);
  const page = renderDocsPage(document);
  return new Hono()
    .get('/openapi.json', (c) => c.body(body, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' }))
    .get('/docs', (c) => c.html(page, 200, { 'content-security-policy': DOCS_CSP, 'cache-control': 'public, max-age=300' }));
}
