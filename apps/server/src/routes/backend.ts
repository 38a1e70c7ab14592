/**
 * Server-to-server routes for the platform's backend (backend key): a fresh subject token, or
 * a privacy-page link, for the user it has logged in, so a second device or a lost token is
 * not the end of self-service; and revoking a user's tokens (logout everywhere). The backend
 * names its user by id in the body; the server derives the pseudonym and forgets the id.
 */
import { Hono } from 'hono';
import { bearerAuth } from '../http/bearer.js';
import { limitBody } from '../http/read-body.js';
import { readJson } from '../http/read-json.js';
import { validate } from '../http/validate.js';
import type { KeyHolder } from '../projects/key-resolver.js';
import { findSubjectByUserId } from '../rights/find-subject.js';
import { backendSubjectBody } from '../rights/rights-schemas.js';
import { privacyUrl } from '../rights/subject-tokens.js';
import { mintSubjectToken, revokeSubjectTokens } from '../rights/token-rights.js';
import { DomainError } from '../errors/domain-error.js';
import type { Services } from '../services.js';
import type { Actor } from '../store/store.js';
import { RIGHTS_BODY_LIMIT } from './me.js';

type Env = { Variables: { backend: KeyHolder } };

const backendActor = (holder: KeyHolder): Actor => ({ channel: 'backend', auth: `backend_key:${holder.keyId}` });

export function backendRoutes(services: Services, options: { publicUrl: string | undefined }) {
  const authorise = bearerAuth<'backend', KeyHolder>('backend', { what: 'a backend key', realm: 'backend', verify: (key) => services.keys.lookup(key, 'backend') });
  return new Hono<Env>()
    .use('/v1/backend/*', limitBody(RIGHTS_BODY_LIMIT), authorise)
    .post('/v1/backend/subject-token', async (c) => {
      const { userId } = validate(backendSubjectBody, await readJson(c));
      const minted = await mintSubjectToken(services, c.var.backend.projectId, userId, backendActor(c.var.backend));
      const base = options.publicUrl ?? new URL(c.req.url).origin;
      return c.json({ ...minted, privacyUrl: privacyUrl(base, minted.subjectToken) }, 201, { 'cache-control': 'no-store' });
    })
    .post('/v1/backend/revoke-tokens', async (c) => {
      const { userId } = validate(backendSubjectBody, await readJson(c));
      const ref = await findSubjectByUserId(services, c.var.backend.projectId, userId, backendActor(c.var.backend));
      if (!ref) throw new DomainError('not_found', { detail: 'No data is held about this user id in this project.' });
      return c.json(await revokeSubjectTokens(services, ref));
    });
}
