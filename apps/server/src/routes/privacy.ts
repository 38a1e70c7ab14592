/**
 * The subject's privacy page and its script. The page is one shell for every project: what it
 * shows comes from the subject's own access answer, under the policy of the subject's project
 * (a server may host several controllers), so nothing here reads the server's policy.
 */
import { Hono } from 'hono';
import { PAGE_CSP } from '../pages/html.js';
import { privacyPageHtml } from '../pages/privacy/privacy-page.js';
import { pageScript } from '../pages/page-scripts.js';
import type { Services } from '../services.js';

// `services` stays in the signature every route module has (app.ts mounts them alike).
export function privacyRoutes(_services: Services) {
  const html = privacyPageHtml();
  return new Hono()
    .get('/privacy', (c) => c.html(html, 200, { 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' }))
    .get('/privacy.js', (c) => c.body(pageScript('privacy-script'), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }));
}
