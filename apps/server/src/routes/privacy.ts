/** The subject's privacy page and its script. */
import { Hono } from 'hono';
import { PAGE_CSP } from '../pages/html.js';
import { privacyPageHtml } from '../pages/privacy/privacy-page.js';
import { pageScript } from '../pages/page-scripts.js';
import type { Services } from '../services.js';

export function privacyRoutes(services: Services) {
  const html = privacyPageHtml(services.policy);
  return new Hono()
    .get('/privacy', (c) => c.html(html, 200, { 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' }))
    .get('/privacy.js', (c) => c.body(pageScript('privacy-script'), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }));
}
