/**
 * Reads a JSON body sent as `application/json` or `text/plain` (beacons and CORS-simple
 * requests cannot set a JSON content type). `readJson` expects the body-limit middleware to
 * have bounded the body already; `readBoundedJson` bounds it itself (the ingest routes).
 */
import type { Context } from 'hono';
import { HttpProblem } from './problem.js';
import { readBoundedBody } from './read-body.js';

const ACCEPTED = /^(application\/json|text\/plain)\s*(;|$)/i;
// As `Request.text()` decodes: UTF-8, a leading byte-order mark dropped, bad bytes replaced.
const utf8 = new TextDecoder();

function checkContentType(c: Context): void {
  const contentType = c.req.header('content-type') ?? '';
  if (!ACCEPTED.test(contentType)) {
    throw new HttpProblem('unsupported_media_type', {
      detail: `Send the body as application/json or text/plain, not "${contentType.slice(0, 60) || 'nothing'}".`,
    });
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpProblem('malformed_json', { detail: 'The body is not valid JSON.', cause: error });
  }
}

export async function readJson(c: Context): Promise<unknown> {
  checkContentType(c);
  return parse(await c.req.text());
}

/**
 * The body limit (413) first, as the body-limit middleware would, then the content type (415)
 * and the JSON (400).
 *
 * @example const body = await readBoundedJson(c, 65_536);
 */
export async function readBoundedJson(c: Context, limit: number): Promise<unknown> {
  const bytes = await readBoundedBody(c, limit);
  checkContentType(c);
  return parse(utf8.decode(bytes));
}
