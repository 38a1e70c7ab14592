/**
 * The one error handler: problems and domain errors become problem+json (a domain error's code
 * is its problem type), a busy store a 503 with Retry-After, everything else a 500 whose
 * details go to the server log only.
 */
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../errors/domain-error.js';
import type { Logger } from '../logger.js';
import { StoreBusyError } from '../store/store.js';
import { HttpProblem } from './problem.js';

/**
 * Built through `c`, so the headers set before the handler ran (security, CORS) stay on it.
 *
 * @example return problemResponse(c, new HttpProblem('not_found', { detail: 'No such route.' }));
 */
export function problemResponse(c: Context, problem: HttpProblem): Response {
  return c.body(JSON.stringify(problem.toJSON()), problem.status as ContentfulStatusCode, { 'content-type': 'application/problem+json', ...problem.headers });
}

function toProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof DomainError) {
    const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };
    return new HttpProblem(error.code, { detail: error.detail, ...(error.errors ? { errors: error.errors } : {}), headers, cause: error });
  }
  if (error instanceof StoreBusyError) {
    return new HttpProblem('store_busy', { detail: 'The store is busy; retry after the given delay.', headers: { 'retry-after': '1' }, cause: error });
  }
  if (error instanceof HTTPException && error.status === 413) {
    return new HttpProblem('body_too_large', { detail: 'The body exceeds the configured limit.', cause: error });
  }
  return undefined;
}

export function createErrorHandler(logger: Logger): ErrorHandler {
  return (error: Error, c: Context) => {
    const problem = toProblem(error);
    if (problem) {
      if (problem.status >= 500) logger.warn('request failed', { path: c.req.path, status: problem.status, type: problem.type });
      return problemResponse(c, problem);
    }
    logger.error('unhandled error', { path: c.req.path, method: c.req.method, error: error.stack ?? String(error) });
    return problemResponse(c, new HttpProblem('internal', { detail: 'Something went wrong on our side; it has been logged.' }));
  };
}
