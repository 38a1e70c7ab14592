/**
 * Every route the app serves, as data: who may call it, the zod schemas it validates with
 * (the same ones the routes use, from `@heed/policy`, `rights/rights-schemas.ts`,
 * `policies/policy-queries.ts` and `stats/stats-query.ts`), what it answers and which problems it can return. The OpenAPI
 * document and the docs page are built from this table; `openapi.test.ts` checks it against
 * `app.routes`, so a route added without an entry here fails the build.
 */
import { rectificationSchema, type WireSchemas } from '@heed/policy';
import { z } from 'zod';
import type { ProblemType } from '../http/problem.js';
import { policyQuery, versionQuery } from '../policies/policy-queries.js';
import {
  adminSubjectBody,
  backendSubjectBody,
  completeRequestBody,
  exportQuery,
  extendRequestBody,
  holdBody,
  identityModeBody,
  meConsentBody,
  objectBody,
  openRequestBody,
  refuseRequestBody,
  restrictBody,
  rotateSecretBody,
  staffRestrictBody,
} from '../rights/rights-schemas.js';
import { heatmapQuery, rangeOnlyQuery, trendsQuery, usageQuery, windowsQuery } from '../stats/stats-query.js';
import { batchResponseSchema, consentResponseSchema, objectSchema, statusSchema } from './response-schemas.js';

export type Credential = 'none' | 'writeKey' | 'subjectToken' | 'analystKey' | 'adminKey' | 'backendKey' | 'metricsToken';
export type Tag = 'ingest' | 'subject rights' | 'staff rights' | 'identity' | 'statistics' | 'operations' | 'pages';
/** What a success carries: JSON with a schema, or a fixed media type. */
export type Payload = { readonly json: z.ZodType; readonly name: string } | { readonly media: string; readonly description: string };

export interface OperationSpec {
  readonly method: 'get' | 'post' | 'patch' | 'delete';
  /** Hono's pattern (`/v1/x/:id`); the document writes `{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly tag: Tag;
  readonly summary: string;
  readonly credential: Credential;
  /** The JSON body (sent as application/json or text/plain), named for components. */
  readonly body?: { readonly schema: z.ZodType; readonly name: string };
  readonly query?: z.ZodType;
  readonly ok: { readonly status: 200 | 201; readonly description: string; readonly payloads: readonly Payload[] };
  readonly problems: readonly ProblemType[];
}

/** Parameter descriptions the query schemas keep in their refinement messages. */
export const PARAMETER_DOCS: Record<string, string> = {
  tz: 'IANA time zone for local dates and hours (default Europe/Brussels)',
  from: 'Start: a local date (2026-10-25) or an ISO instant with a zone; default 28 local days before `to`',
  to: 'End (exclusive): a local date or an ISO instant with a zone; default the end of today',
  grain: 'Bucket size',
  weeks: 'Weeks of history, 1 to 52 (default 8)',
  limit: 'How many windows, 1 to 20 (default 5)',
  duration: 'Window length in whole hours, e.g. 2h (default 2h, at most 24h)',
  days: 'Allowed weekdays, e.g. mon-fri or sat,sun (default every day)',
  hours: 'Allowed local start hours, e.g. 0-6 or 22-5 (default every hour)',
  notice: 'Earliest start after now, e.g. 24h or 2d (default 0)',
  format: 'json (access, Art. 15) or csv (portability, Art. 20: a zip of CSV files)',
};

const json = (schema: z.ZodType, name: string): Payload => ({ json: schema, name });
const media = (type: string, description: string): Payload => ({ media: type, description });
const accessPayloads = [json(objectSchema, 'AccessDocument'), media('application/zip', 'CSV files in a zip (format=csv)')];

const WRITE: readonly ProblemType[] = [
  'validation', 'malformed_json', 'unauthorized', 'identity_required', 'identity_invalid', 'identity_expired', 'identity_mismatch', 'body_too_large',
  'unsupported_media_type', 'rate_limited', 'store_busy',
];
const SUBJECT: readonly ProblemType[] = ['unauthorized', 'store_busy'];
const SUBJECT_BODY: readonly ProblemType[] = ['validation', 'malformed_json', 'unauthorized', 'body_too_large', 'unsupported_media_type', 'store_busy'];
const ADMIN_BODY: readonly ProblemType[] = [...SUBJECT_BODY, 'not_found'];
const ANALYST: readonly ProblemType[] = ['validation', 'unauthorized', 'store_busy'];

/**
 * @example operationSpecs(services.schemas).map((op) => `${op.method} ${op.path}`)
 */
export function operationSpecs(schemas: WireSchemas): readonly OperationSpec[] {
  const camel = (words: string) => words.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
  const admin = (right: string, summary: string, extra: z.ZodRawShape, result: Payload[] = [json(objectSchema, 'RightsResult')]): OperationSpec => ({
    method: 'post', path: `/v1/admin/subjects/${right}`, operationId: `admin${camel(right)}`, tag: 'staff rights', summary, credential: 'adminKey',
    body: { schema: z.strictObject({ ...adminSubjectBody.shape, ...extra }), name: `Admin${camel(right)}Request` },
    ok: { status: 200, description: 'Done', payloads: result }, problems: ADMIN_BODY,
  });
  const stats = (name: string, summary: string, query: z.ZodType): OperationSpec => ({
    method: 'get', path: `/v1/stats/${name}`, operationId: `stats${name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`, tag: 'statistics', summary, credential: 'analystKey',
    query, ok: { status: 200, description: 'Statistics, k-anonymity applied', payloads: [json(objectSchema, 'Statistics')] }, problems: ANALYST,
  });
  const asset = (path: string, type: string, summary: string): OperationSpec => ({
    method: 'get', path, operationId: `asset${path.replace(/[^a-zA-Z0-9]+(\w?)/g, (_m, c: string) => c.toUpperCase())}`, tag: 'pages', summary, credential: 'none',
    ok: { status: 200, description: summary, payloads: [media(type, summary)] }, problems: [],
  });
  const ok = (payload: Payload, description = 'Done') => ({ status: 200 as const, description, payloads: [payload] });

  return [
    { method: 'get', path: '/v1/policy', operationId: 'getPolicy', tag: 'ingest', summary: 'The policy in force (a project\'s own with ?project=): version, effective date, purposes with legal bases, retention', credential: 'none', query: policyQuery, ok: ok(json(objectSchema, 'PolicyDocument'), 'The policy document'), problems: ['validation', 'not_found'] },
    { method: 'get', path: '/v1/policy/versions/:version', operationId: 'getPolicyVersion', tag: 'ingest', summary: 'An archived policy text, by version (?hash= for the exact wording a ledger entry names)', credential: 'none', query: versionQuery, ok: ok(json(objectSchema, 'ArchivedPolicy'), 'The archived text'), problems: ['validation', 'not_found'] },
    { method: 'post', path: '/v1/consent', operationId: 'recordConsent', tag: 'ingest', summary: 'Record a consent decision in the ledger, with who decided; a verified caller (signed identity, or an anonymous subject\'s first decision) gets a subject token', credential: 'writeKey', body: { schema: schemas.consent, name: 'ConsentRequest' }, ok: ok(json(consentResponseSchema, 'ConsentResponse')), problems: [...WRITE, 'policy_version', 'subject_erased'] },
    { method: 'post', path: '/v1/batch', operationId: 'ingestBatch', tag: 'ingest', summary: 'Ingest a batch of events (deduplicated by event id and timestamp: a retry resends both); the answer counts suppressions by reason', credential: 'writeKey', body: { schema: schemas.batch, name: 'BatchRequest' }, ok: ok(json(batchResponseSchema, 'BatchResponse')), problems: [...WRITE, 'shutting_down'] },

    { method: 'get', path: '/v1/me', operationId: 'meAccess', tag: 'subject rights', summary: 'Everything held about me (Art. 15), or as CSV files for portability (Art. 20)', credential: 'subjectToken', query: exportQuery, ok: { status: 200, description: 'The access document', payloads: accessPayloads }, problems: ['validation', ...SUBJECT] },
    { method: 'patch', path: '/v1/me', operationId: 'meRectify', tag: 'subject rights', summary: 'Correct what is correctable (Art. 16)', credential: 'subjectToken', body: { schema: rectificationSchema, name: 'Rectification' }, ok: ok(json(objectSchema, 'RightsResult')), problems: SUBJECT_BODY },
    { method: 'post', path: '/v1/me/restrict', operationId: 'meRestrict', tag: 'subject rights', summary: 'Restrict processing (Art. 18), or lift the restriction', credential: 'subjectToken', body: { schema: restrictBody, name: 'RestrictRequest' }, ok: ok(json(objectSchema, 'RightsResult')), problems: SUBJECT_BODY },
    { method: 'post', path: '/v1/me/object', operationId: 'meObject', tag: 'subject rights', summary: 'Object to purposes based on legitimate interest (Art. 21)', credential: 'subjectToken', body: { schema: objectBody, name: 'ObjectRequest' }, ok: ok(json(objectSchema, 'RightsResult')), problems: SUBJECT_BODY },
    { method: 'post', path: '/v1/me/consent', operationId: 'meConsent', tag: 'subject rights', summary: 'A new consent decision from the privacy page; objections already made are kept', credential: 'subjectToken', body: { schema: meConsentBody, name: 'MeConsentRequest' }, ok: ok(json(consentResponseSchema, 'ConsentResponse')), problems: SUBJECT_BODY },
    { method: 'post', path: '/v1/me/withdraw', operationId: 'meWithdraw', tag: 'subject rights', summary: 'Withdraw all consent (Art. 7(3))', credential: 'subjectToken', ok: ok(json(objectSchema, 'RightsResult')), problems: SUBJECT },
    { method: 'delete', path: '/v1/me/tokens', operationId: 'meRevokeTokens', tag: 'subject rights', summary: 'Revoke every other subject token of mine; the one presented stays', credential: 'subjectToken', ok: ok(json(objectSchema, 'RevokeResult')), problems: SUBJECT },
    { method: 'delete', path: '/v1/me', operationId: 'meErase', tag: 'subject rights', summary: 'Erase everything held about me (Art. 17); a pseudonym-only suppression record keeps it erased', credential: 'subjectToken', ok: ok(json(objectSchema, 'RightsResult')), problems: SUBJECT },

    admin('access', 'Access or portability by user id, for requests that arrive by mail', { format: exportQuery.shape.format }, accessPayloads),
    admin('rectify', 'Rectification by user id', rectificationSchema.shape),
    admin('restrict', 'Restriction by user id; lifting it needs informedAt and how (Art. 18(3))', staffRestrictBody.shape),
    admin('object', 'Objection by user id', objectBody.shape),
    admin('withdraw', 'Withdrawal by user id', {}),
    admin('erase', 'Erasure by user id: every subject row the user id has under any pseudonymisation key, refused as a whole under a legal hold', {}),
    admin('hold', 'Put a subject\'s data on legal hold (Art. 17(3)): erasure refused with the ground, retention paused', { ground: holdBody.shape.ground, reason: holdBody.shape.reason, until: holdBody.shape.until }),
    admin('lift-hold', 'Lift a legal hold', {}),
    { method: 'post', path: '/v1/admin/subjects/revoke-tokens', operationId: 'adminRevokeTokens', tag: 'staff rights', summary: 'Revoke every subject token of a user (a lost device, on request)', credential: 'adminKey', body: { schema: adminSubjectBody, name: 'AdminRevokeTokensRequest' }, ok: ok(json(objectSchema, 'RevokeResult')), problems: ADMIN_BODY },
    { method: 'get', path: '/v1/admin/identity', operationId: 'adminIdentity', tag: 'identity', summary: 'Identity verification: the mode, the identity secrets, and what report mode accepted unverified in the last 30 days', credential: 'adminKey', ok: ok(json(objectSchema, 'IdentityStatus')), problems: ['unauthorized', 'store_busy'] },
    { method: 'post', path: '/v1/admin/identity/mode', operationId: 'adminIdentityMode', tag: 'identity', summary: 'Set the identity mode (enforce, report, off); recorded in the ledger', credential: 'adminKey', body: { schema: identityModeBody, name: 'IdentityModeRequest' }, ok: ok(json(objectSchema, 'IdentityMode')), problems: ADMIN_BODY },
    { method: 'post', path: '/v1/admin/identity/secrets', operationId: 'adminRotateIdentitySecret', tag: 'identity', summary: 'A new identity secret, shown once; the previous ones keep verifying for the overlap (default 7 days)', credential: 'adminKey', body: { schema: rotateSecretBody, name: 'RotateSecretRequest' }, ok: { status: 201, description: 'The new secret (shown once)', payloads: [json(objectSchema, 'IdentitySecret')] }, problems: ADMIN_BODY },
    { method: 'post', path: '/v1/backend/subject-token', operationId: 'backendSubjectToken', tag: 'identity', summary: 'A fresh subject token and privacy-page link for the platform\'s logged-in user (server to server)', credential: 'backendKey', body: { schema: backendSubjectBody, name: 'BackendSubjectRequest' }, ok: { status: 201, description: 'The token (shown once) and the privacy link', payloads: [json(objectSchema, 'SubjectTokenGrant')] }, problems: ADMIN_BODY },
    { method: 'post', path: '/v1/backend/revoke-tokens', operationId: 'backendRevokeTokens', tag: 'identity', summary: 'Revoke every subject token of the platform\'s user (logout everywhere)', credential: 'backendKey', body: { schema: backendSubjectBody, name: 'BackendRevokeRequest' }, ok: ok(json(objectSchema, 'RevokeResult')), problems: ADMIN_BODY },
    { method: 'post', path: '/v1/admin/requests', operationId: 'adminOpenRequest', tag: 'staff rights', summary: 'Log a rights request that arrived by mail; its arrival sets the one-month due date', credential: 'adminKey', body: { schema: openRequestBody, name: 'OpenRightsRequest' }, ok: { status: 201, description: 'The logged request', payloads: [json(objectSchema, 'RightsRequest')] }, problems: SUBJECT_BODY },
    { method: 'post', path: '/v1/admin/requests/:id/complete', operationId: 'adminCompleteRequest', tag: 'staff rights', summary: 'Mark a logged request done, with its outcome', credential: 'adminKey', body: { schema: completeRequestBody, name: 'CompleteRightsRequest' }, ok: ok(json(objectSchema, 'RightsResult')), problems: ADMIN_BODY },
    { method: 'post', path: '/v1/admin/requests/:id/extend', operationId: 'adminExtendRequest', tag: 'staff rights', summary: 'Extend a request by at most two months (Art. 12(3)), with the reason and when the subject was told', credential: 'adminKey', body: { schema: extendRequestBody, name: 'ExtendRequest' }, ok: ok(json(objectSchema, 'RightsRequest')), problems: [...ADMIN_BODY, 'unprocessable'] },
    { method: 'post', path: '/v1/admin/requests/:id/refuse', operationId: 'adminRefuseRequest', tag: 'staff rights', summary: 'Refuse a request on a ground from the fixed list, with the reason', credential: 'adminKey', body: { schema: refuseRequestBody, name: 'RefuseRequest' }, ok: ok(json(objectSchema, 'RightsRequest')), problems: ADMIN_BODY },
    { method: 'get', path: '/v1/admin/requests', operationId: 'adminRequests', tag: 'staff rights', summary: 'The rights-request log with due dates (one month), overdue first', credential: 'adminKey', ok: ok(json(objectSchema, 'RequestLog')), problems: ['unauthorized', 'store_busy'] },

    stats('usage', 'Active time, sessions and subjects per bucket', usageQuery(0)),
    stats('sessions', 'Session length distribution', rangeOnlyQuery(0)),
    stats('features', 'Feature use and durations (percentiles with their relative accuracy)', rangeOnlyQuery(0)),
    stats('feature-trends', 'Feature use per local day or week', trendsQuery(0)),
    stats('heatmap', 'Hour-of-week activity in local time', heatmapQuery),
    stats('update-windows', 'Recommended update and maintenance windows', windowsQuery),

    { method: 'get', path: '/healthz', operationId: 'health', tag: 'operations', summary: 'Liveness', credential: 'none', ok: ok(json(statusSchema, 'Status')), problems: [] },
    { method: 'get', path: '/readyz', operationId: 'ready', tag: 'operations', summary: 'Readiness: 503 while shutting down', credential: 'none', ok: ok(json(statusSchema, 'Status')), problems: ['shutting_down'] },
    { method: 'get', path: '/metrics', operationId: 'metrics', tag: 'operations', summary: 'Prometheus metrics (text format 0.0.4); loopback clients only unless HEED_METRICS_TOKEN is set', credential: 'metricsToken', ok: ok(media('text/plain; version=0.0.4', 'Prometheus text exposition')), problems: ['unauthorized', 'forbidden'] },
    { method: 'get', path: '/openapi.json', operationId: 'openapi', tag: 'operations', summary: 'This document (OpenAPI 3.1)', credential: 'none', ok: ok(json(objectSchema, 'OpenApiDocument')), problems: [] },
    { method: 'get', path: '/docs', operationId: 'docs', tag: 'operations', summary: 'This document as a readable page', credential: 'none', ok: ok(media('text/html', 'The API reference')), problems: [] },

    asset('/sdk/heed.js', 'text/javascript', 'The SDK as a script-tag build'),
    asset('/sdk/demo', 'text/html', 'A demo page using the SDK'),
    asset('/sdk/demo.js', 'text/javascript', 'The demo page\'s script'),
    asset('/privacy', 'text/html', 'The privacy page: see, export, restrict, object, withdraw, erase'),
    asset('/privacy.js', 'text/javascript', 'The privacy page\'s script'),
    asset('/dashboard', 'text/html', 'The statistics dashboard (asks the API with a pasted analyst key)'),
    asset('/dashboard/app.js', 'text/javascript', 'The dashboard\'s script'),
    asset('/dashboard/app.css', 'text/css', 'The dashboard\'s style sheet'),
    asset('/dashboard/icon.svg', 'image/svg+xml', 'The dashboard\'s icon'),
    asset('/dashboard/k-anonymity', 'text/plain', 'Why a figure is hidden (docs/k-anonymity.md), linked from the dashboard\'s hidden figures'),
  ];
}
