/**
 * GET /docs: the OpenAPI document as one server-rendered page, with no script and no
 * external asset (operators may be offline). Its one inline style is allowed by hash, so
 * the CSP stays strict: nothing runs, nothing loads from elsewhere.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../pages/html.js';
import type { OpenApiDocument } from './build-document.js';

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h2{margin-top:2.5rem;border-bottom:1px solid #ddd}section{margin:1.5rem 0;padding:.5rem 1rem;border-left:3px solid #5b7;background:#f8faf8}
code,pre{font:13px ui-monospace,monospace}pre{overflow:auto;background:#fff;border:1px solid #eee;padding:.5rem;max-height:24rem}
.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}`;

export const DOCS_CSP = `default-src 'none'; script-src 'self'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

type Json = Record<string, unknown>;
const e = (value: unknown) => escapeHtml(String(value ?? ''));

function resolveRef(document: OpenApiDocument, schema: unknown): unknown {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  if (!ref?.startsWith('#/components/schemas/')) return schema;
  return (document.components.schemas as Record<string, unknown>)[ref.slice('#/components/schemas/'.length)];
}

function operationHtml(document: OpenApiDocument, method: string, path: string, op: Json): string {
  const security = (op.security as Record<string, unknown>[]).flatMap((entry) => Object.keys(entry));
  const credential = op['x-heed-credential'] ? 'write key in the body (writeKey)' : security.length > 0 ? `Bearer ${security.join(' or ')}` : 'none';
  const params = (op.parameters as Json[] | undefined) ?? [];
  const body = (op.requestBody as { content: Record<string, { schema: unknown }> } | undefined)?.content['application/json']?.schema;
  const responses = Object.entries(op.responses as Record<string, { description: string; content?: Record<string, unknown> }>);
  return `<section id="${e(op.operationId)}"><h3><span class="m">${e(method)}</span> <code>${e(path)}</code></h3>
<p>${e(op.summary)}</p><p>Credential: ${e(credential)}</p>
${params.length === 0 ? '' : `<table><tr><th>parameter</th><th>in</th><th>required</th><th>description</th></tr>${params.map((p) => `<tr><td><code>${e(p.name)}</code></td><td>${e(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${e(p.description)}</td></tr>`).join('')}</table>`}
${body ? `<details><summary>Request body (application/json or text/plain)</summary><pre>${e(JSON.stringify(resolveRef(document, body), null, 2))}</pre></details>` : ''}
<table><tr><th>status</th><th>meaning</th><th>media types</th></tr>${responses.map(([status, r]) => `<tr><td>${e(status)}</td><td>${e(r.description)}</td><td>${e(Object.keys(r.content ?? {}).join(', '))}</td></tr>`).join('')}</table></section>`;
}

/**
 * @example c.html(renderDocsPage(buildOpenApiDocument(schemas, policy)), 200, { 'content-security-policy': DOCS_CSP })
 */
export function renderDocsPage(document: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = (op.tags as string[])[0]!;
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(document, method, path, op)]);
    }
  }
  const schemes = Object.entries(document.components.securitySchemes).map(([name, scheme]) => `<li><code>${e(name)}</code>: ${e(scheme.description)}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(document.info.title)} API</title><style>${STYLE}</style></head><body>
<h1>${e(document.info.title)} API v${e(document.info.version)}</h1><p>${e(document.info.summary)}</p><p>${e(document.info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${e(document.openapi)}).</p>
<h2>Credentials</h2><ul><li><code>writeKey</code>: the project's public write key, in the JSON body of the ingest routes.</li>${schemes}</ul>
${[...byTag].map(([tag, ops]) => `<h2>${e(tag)}</h2>${ops.join('\n')}`).join('\n')}
</body></html>`;
}
