/**
 * GET /dashboard, its same-origin assets, and the k-anonymity explanation its hidden figures
 * link to. The page carries no data and needs no key:
 * the browser script asks the statistics API with the analyst key the person pastes.
 */
import { Hono } from 'hono';
import { DASHBOARD_CSP, DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_ICON } from './dashboard-page.js';
import { pageScript } from '../page-scripts.js';
import { kAnonymityDoc } from './k-anonymity-doc.js';

export function dashboardRoutes() {
  const headers = (type: string) => ({ 'content-type': type, 'cache-control': 'no-cache', 'content-security-policy': DASHBOARD_CSP });
  return new Hono()
    .get('/dashboard', (c) => c.body(DASHBOARD_HTML, 200, headers('text/html; charset=utf-8')))
    .get('/dashboard/app.js', (c) => c.body(pageScript('dashboard-script'), 200, headers('text/javascript; charset=utf-8')))
    .get('/dashboard/icon.svg', (c) => c.body(DASHBOARD_ICON, 200, headers('image/svg+xml')))
    .get('/dashboard/app.css', (c) => c.body(DASHBOARD_CSS, 200, headers('text/css; charset=utf-8')))
    .get('/dashboard/k-anonymity', (c) => {
      const doc = kAnonymityDoc();
      return doc === undefined ? c.notFound() : c.body(doc, 200, headers('text/plain; charset=utf-8'));
    });
}
