/**
 * The client hash: what every event and decision carries as `subject`, so the platform's user
 * id never leaves the device. Written once here; the SDK hashes these strings with
 * `crypto.subtle`, the server (staff lookups, the identity signer) with `node:crypto`:
 *
 *   identified: base64url(SHA-256("heed:v1:" + projectId + ":" + userId))
 *   anonymous:  base64url(SHA-256("heed:anon:v1:" + projectId + ":" + anonymousId))
 *
 * The two preimages never collide (a user id cannot make a string that starts with
 * "heed:anon:"), so a server that derives an anonymous subject from its random id knows it
 * can never be someone's identified subject: an attacker cannot pass a victim's hash off as
 * anonymous (issue "Authenticated subjects").
 */
/**
 * The string an identified subject's hash is taken of.
 *
 * @example identifiedPreimage('p_acme', 'user-42') // 'heed:v1:p_acme:user-42'
 */
export const identifiedPreimage = (projectId: string, userId: string): string => `heed:v1:${projectId}:${userId}`;

/**
 * The string an anonymous subject's hash is taken of.
 *
 * @example anonymousPreimage('p_acme', 'V1StGXR8_Z5jdHi6B-myT') // 'heed:anon:v1:p_acme:V1StGXR8_Z5jdHi6B-myT'
 */
export const anonymousPreimage = (projectId: string, anonymousId: string): string => `heed:anon:v1:${projectId}:${anonymousId}`;
