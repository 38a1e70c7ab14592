/**
 * The SDK's client hashes, computed on the server: for staff looking a user up by id, for the
 * identity signer, and for recognising an anonymous subject from its random id. The preimages
 * are written once, in `@heed/policy` (identity/subject-hash.ts).
 */
import { createHash } from 'node:crypto';
import { anonymousPreimage, identifiedPreimage } from '@heed/policy';

const sha256Base64url = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * @example identifiedHash('p_acme', 'user-42') // 43 characters of base64url
 */
export const identifiedHash = (projectId: string, userId: string): string => sha256Base64url(identifiedPreimage(projectId, userId));

/**
 * @example anonymousHash('p_acme', 'V1StGXR8_Z5jdHi6B-myT') // 43 characters of base64url
 */
export const anonymousHash = (projectId: string, anonymousId: string): string => sha256Base64url(anonymousPreimage(projectId, anonymousId));
