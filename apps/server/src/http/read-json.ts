/**
 * Reads a JSON body sent as `application/json` or `text/plain` (beacons and CORS-simple
 * requests cannot set a JSON content type). The body-limit middleware has already bounded it.
 */
import type { Context } from 'hono';
import { HttpProblem } from './problem.js';

const ACCEPTED = /^(application\/json|text\/plain)\s*(;|$)/i;

export async function readJson(c: Context): Promise<unknown> {
  const contentType = c.req.header('content-type') ?? '';
  if (!ACCEPTED.test(contentType)) {
    throw new HttpProblem('unsupported_media_type', {
      detail: `Send the body as application/json or text/plain, not "${contentType.slice(0, 60) || 'nothing'}".`,
    });
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpProblem('malformed_json', { detail: 'The body is not valid JSON.', cause: error });
  }
}
