/**
 * What the privacy page reads from the server and how it asks: the fields of the access
 * answer (`GET /v1/me`, schema access/v2, docs/access-format.md) that the page shows, and
 * one fetch wrapper that turns an RFC 9457 problem into an error the page can name.
 * Everything subject-specific comes from this answer, under the policy of the subject's own
 * project, never from what the server rendered into the page.
 */
import type { Localized } from './privacy-texts.browser.js';

export interface LegalHold {
  readonly ground: string;
  readonly reason: string;
  /** ISO 8601, or null: until lifted. */
  readonly until: string | null;
}

export interface Me {
  readonly controller: { readonly name: string; readonly address: string; readonly contact: string };
  readonly policy: { readonly version: string; readonly hash: string; readonly effectiveDate: string; readonly text: string };
  readonly subject: {
    readonly timeZone: string | null;
    readonly deviceClass: string | null;
    readonly corrected: readonly string[];
    readonly consent: { readonly granted: readonly string[]; readonly withdrawn: boolean } | null;
    readonly objected: readonly string[];
    readonly restricted: boolean;
    readonly legalHold: LegalHold | null;
  };
  readonly purposes: readonly {
    readonly id: string;
    readonly basis: string;
    readonly title: Localized;
    readonly description: Localized;
    readonly processed: boolean;
    readonly notProcessedBecause?: string;
  }[];
  readonly recipients: readonly string[];
  readonly retention: readonly { readonly dataClass: string; readonly period: string; readonly what: Localized }[];
  readonly keptLonger: Localized;
  readonly rights: readonly { readonly right: string; readonly article: string; readonly how: Localized }[];
  readonly complaint: { readonly authority: string; readonly article: string };
  readonly source: Localized;
  readonly automatedDecisions: { readonly made: boolean; readonly statement: Localized };
  readonly events: readonly unknown[];
  readonly sessions: readonly unknown[];
  readonly subjectTokens: readonly unknown[];
  readonly rightsRequests: readonly unknown[];
}

/** A refusal from the server: its problem type (the last segment of `type`) and detail. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    /** e.g. `legal-hold`, from `https://heed.dev/problems/legal-hold`. */
    readonly problem: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

interface ProblemBody {
  readonly type?: string;
  readonly detail?: string;
}

/**
 * Calls the subject's API with the token as Bearer. Resolves with the response when it is
 * 2xx; rejects with an ApiProblem otherwise (401 included: the link no longer opens anything).
 */
export async function api(token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.ok) return response;
  const text = await response.text();
  let problem: ProblemBody = {};
  try {
    problem = JSON.parse(text) as ProblemBody;
  } catch (cause) {
    // Not problem+json (a proxy's error page): the status line is all there is to say.
    if (!(cause instanceof SyntaxError)) throw cause;
  }
  const type = (problem.type ?? '').split('/').pop() ?? '';
  throw new ApiProblem(response.status, type, problem.detail || response.statusText || String(response.status));
}
