/**
 * Staff routes (admin key): the subject's rights by the platform's user id, for requests that
 * reach the controller by mail; the rights-request log; and the project's identity
 * verification (state, mode, secret rotation). The server derives the client hash and the
 * pseudonym as the SDK and the ingest path do; the user id itself is neither stored nor
 * logged, and travels in the body so it stays out of URLs. Every act names the admin key.
 */
import { rectificationSchema } from '@heed/policy';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { DomainError } from '../errors/domain-error.js';
import { bearerAuth } from '../http/bearer.js';
import { limitBody } from '../http/read-body.js';
import { readJson } from '../http/read-json.js';
import { validate } from '../http/validate.js';
import { DEFAULT_OVERLAP_MS, identityStatus, rotateIdentitySecret, setIdentityMode } from '../identity/identity-admin.js';
import type { KeyHolder } from '../projects/key-resolver.js';
import { findEverySubjectByUserId, findSubjectByUserId, forEveryRow } from '../rights/find-subject.js';
import { setHold } from '../rights/legal-hold.js';
import { completeRequest, extendRequest, refuseRequest } from '../rights/request-lifecycle.js';
import { logOpenRequest, orderRequests, type SubjectRef } from '../rights/requests.js';
import {
  adminSubjectBody,
  completeRequestBody,
  exportQuery,
  extendRequestBody,
  holdBody,
  identityModeBody,
  objectBody,
  openRequestBody,
  refuseRequestBody,
  rotateSecretBody,
  staffRestrictBody,
} from '../rights/rights-schemas.js';
import { accessEvery, eraseEvery, object, rectify, restrict, withdraw } from '../rights/subject-rights.js';
import { revokeSubjectTokens } from '../rights/token-rights.js';
import type { Services } from '../services.js';
import type { Actor } from '../store/store.js';
import { RIGHTS_BODY_LIMIT } from './me.js';
import { accessResponse } from './rights-responses.js';

type Env = { Variables: { admin: KeyHolder } };

const staff = (holder: KeyHolder): Actor => ({ channel: 'staff', auth: `admin_key:${holder.keyId}` });

export function adminRoutes(services: Services) {
  const limitRightsBody = limitBody(RIGHTS_BODY_LIMIT);
  const authorise = bearerAuth<'admin', KeyHolder>('admin', { what: 'an admin key', realm: 'admin', verify: (key) => services.keys.lookup(key, 'admin') });

  /** Reads the body, finds the subject's rows by user id under every pseudonym key (the first: the newest key's). */
  async function subjectsFrom<T extends z.ZodObject>(c: Context<Env>, extra: T): Promise<{ refs: SubjectRef[]; body: z.infer<T> }> {
    const raw = await readJson(c);
    const { userId } = validate(adminSubjectBody, raw);
    const body = validate(extra, Object.fromEntries(Object.entries(raw as object).filter(([key]) => key !== 'userId')));
    const refs = await findEverySubjectByUserId(services, c.var.admin.projectId, userId, staff(c.var.admin));
    if (refs.length === 0) throw new DomainError('not_found', { detail: 'No data is held about this user id in this project.' });
    return { refs, body };
  }
  /** A right by user id, applied to every row the user id has (`forEveryRow`). */
  async function onEveryRow<T extends z.ZodObject, R>(c: Context<Env>, extra: T, apply: (ref: SubjectRef, body: z.infer<T>) => Promise<R>): Promise<R> {
    const { refs, body } = await subjectsFrom(c, extra);
    return forEveryRow(refs, (ref) => apply(ref, body));
  }
  const empty = z.strictObject({});

  return new Hono<Env>()
    .use('/v1/admin/*', limitRightsBody, authorise)
    .post('/v1/admin/subjects/access', async (c) => {
      const { refs, body } = await subjectsFrom(c, z.strictObject({ format: exportQuery.shape.format }));
      return accessResponse(c, await accessEvery(services, refs, body.format === 'csv' ? 'portability' : 'access'), body.format);
    })
    .post('/v1/admin/subjects/rectify', async (c) => c.json(await onEveryRow(c, rectificationSchema, (ref, body) => rectify(services, ref, body))))
    .post('/v1/admin/subjects/restrict', async (c) =>
      c.json(await onEveryRow(c, staffRestrictBody, (ref, body) => {
        const notice = body.informedAt === undefined || body.how === undefined ? undefined : { informedAt: body.informedAt, how: body.how };
        return restrict(services, ref, body.restricted, notice);
      })))
    .post('/v1/admin/subjects/hold', async (c) =>
      c.json(await onEveryRow(c, holdBody, (ref, body) => setHold(services, ref, { ground: body.ground, reason: body.reason, until: body.until ?? null }))))
    .post('/v1/admin/subjects/lift-hold', async (c) => c.json(await onEveryRow(c, empty, (ref) => setHold(services, ref, null))))
    .post('/v1/admin/subjects/object', async (c) => c.json(await onEveryRow(c, objectBody, (ref, body) => object(services, ref, body.purposes, body.objected))))
    .post('/v1/admin/subjects/withdraw', async (c) => c.json(await onEveryRow(c, empty, (ref) => withdraw(services, ref))))
    .post('/v1/admin/subjects/erase', async (c) => c.json(await eraseEvery(services, (await subjectsFrom(c, empty)).refs)))
    .post('/v1/admin/subjects/revoke-tokens', async (c) => c.json(await onEveryRow(c, empty, (ref) => revokeSubjectTokens(services, ref))))
    .post('/v1/admin/requests', async (c) => {
      const body = validate(openRequestBody, await readJson(c));
      const { projectId } = c.var.admin;
      const ref = body.userId === undefined ? undefined : await findSubjectByUserId(services, projectId, body.userId, staff(c.var.admin));
      const row = await logOpenRequest(services, { projectId, pseudonym: ref?.pseudonym ?? '', kind: body.kind, receivedAt: body.receivedAt ?? services.clock.now() });
      return c.json(row, 201);
    })
    .post('/v1/admin/requests/:id/complete', async (c) => {
      const { outcome } = validate(completeRequestBody, await readJson(c));
      return c.json(await completeRequest(services, c.var.admin.projectId, c.req.param('id'), outcome));
    })
    .post('/v1/admin/requests/:id/extend', async (c) => {
      const body = validate(extendRequestBody, await readJson(c));
      return c.json(await extendRequest(services, c.var.admin.projectId, c.req.param('id'), body));
    })
    .post('/v1/admin/requests/:id/refuse', async (c) => {
      const { ground, reason } = validate(refuseRequestBody, await readJson(c));
      return c.json(await refuseRequest(services, c.var.admin.projectId, c.req.param('id'), ground, reason));
    })
    .get('/v1/admin/requests', async (c) => {
      const rows = await services.store.listRightsRequests(c.var.admin.projectId);
      return c.json({ requests: orderRequests(rows, services.clock.now()) });
    })
    .get('/v1/admin/identity', async (c) => c.json(await identityStatus(services, c.var.admin.projectId)))
    .post('/v1/admin/identity/mode', async (c) => {
      const { mode } = validate(identityModeBody, await readJson(c));
      return c.json(await setIdentityMode(services, c.var.admin.projectId, mode, staff(c.var.admin)));
    })
    .post('/v1/admin/identity/secrets', async (c) => {
      const { overlapMs } = validate(rotateSecretBody, await readJson(c));
      return c.json(await rotateIdentitySecret(services, c.var.admin.projectId, overlapMs ?? DEFAULT_OVERLAP_MS, staff(c.var.admin)), 201);
    });
}
