/**
 * Routes for operators and the SDK's bootstrap: health, readiness, and the script-tag build of
 * the SDK with a demo page that uses it (the policy texts are `policy.ts`).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import { HttpProblem } from '../http/problem.js';
import { PAGE_CSP } from '../pages/html.js';
import { pageScript } from '../pages/page-scripts.js';
import { SDK_DEMO_HTML } from '../pages/sdk-demo/sdk-demo-page.js';
import type { Services } from '../services.js';

export function operationsRoutes(services: Services, state: { ready: () => boolean }) {
  let sdkScript: Promise<string> | undefined;
  const loadSdkScript = () => {
    sdkScript ??= readFile(createRequire(import.meta.url).resolve('@heed/sdk/heed.global.js'), 'utf8');
    return sdkScript;
  };

  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', (c) =>
      state.ready() ? c.json({ status: 'ready' }) : c.json({ status: 'shutting down' }, 503, { 'retry-after': '1' }),
    )
    .get('/sdk/heed.js', async (c) => {
      const script = await loadSdkScript().catch((error: unknown) => {
        sdkScript = undefined;
        throw new HttpProblem('not_found', { detail: 'The SDK script is not built: run pnpm build.', cause: error });
      });
      return c.body(script, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' });
    })
    .get('/sdk/demo', (c) => c.html(SDK_DEMO_HTML, 200, { 'content-security-policy': PAGE_CSP }))
    .get('/sdk/demo.js', (c) => c.body(pageScript('sdk-demo-script'), 200, { 'content-type': 'text/javascript; charset=utf-8' }));
}
