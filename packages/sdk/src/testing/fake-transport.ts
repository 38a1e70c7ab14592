/**
 * A scriptable transport that records every request and beacon. By default it answers like
 * the Heed server (policy, consent with a token on the first decision, batch counts with
 * dedupe by event id); `script` queues answers or failures for the next requests, and
 * `handler` replaces the default wholesale.
 */
import { DEFAULT_POLICY, type BatchRequest, type PolicyDocument } from '@heed/policy';
import type { HttpRequest, HttpResponse, Transport } from '../core/platform.js';

/** A scripted answer: a status (with optional headers/body), or `'network'` to fail without one. */
export type FakeAnswer = 'network' | number | { status: number; headers?: Record<string, string>; body?: unknown };

export interface RecordedRequest extends HttpRequest {
  /** The body parsed as JSON (undefined when absent). */
  readonly json: unknown;
  /** True for beacons. */
  readonly beacon: boolean;
}

export interface FakeTransport extends Transport {
  readonly requests: RecordedRequest[];
  /** Requests (and beacons) to this path. */
  to(path: string): RecordedRequest[];
  /** Queues answers for the next requests, in order; then the default server answers again. */
  script(...answers: FakeAnswer[]): void;
  /** Replaces the default server; return undefined to fall back to it. */
  handler: ((request: HttpRequest) => FakeAnswer | undefined) | undefined;
  /** Event ids the fake server stored, each once (it dedupes like the real one). */
  readonly stored: Map<string, unknown>;
  /** Whether beacons are accepted (the browser's quota). */
  beaconAccepts: boolean;
  /** The policy served at GET /v1/policy. */
  policy: PolicyDocument;
}

/**
 * @example
 * const transport = createFakeTransport()
 * transport.script(503, 'network') // next two requests fail, then the server answers
 */
export function createFakeTransport(): FakeTransport {
  const scripted: FakeAnswer[] = [];
  const tokens = new Set<string>();

  const fake: FakeTransport = {
    requests: [],
    to: (path) => fake.requests.filter((request) => request.path === path),
    script: (...answers) => void scripted.push(...answers),
    handler: undefined,
    stored: new Map(),
    beaconAccepts: true,
    policy: DEFAULT_POLICY,
    async send(request) {
      fake.requests.push({ ...request, json: request.body === undefined ? undefined : JSON.parse(request.body), beacon: false });
      await Promise.resolve();
      const answer = scripted.length ? scripted.shift()! : (fake.handler?.(request) ?? serve(request));
      if (answer === 'network') throw new TypeError('Failed to fetch');
      const response = typeof answer === 'number' ? { status: answer } : answer;
      return { status: response.status, headers: response.headers ?? {}, body: response.body ?? problem(response.status) } satisfies HttpResponse;
    },
    beacon(path, body) {
      fake.requests.push({ method: 'POST', path, body, json: JSON.parse(body), beacon: true });
      if (!fake.beaconAccepts) return false;
      if (path === '/v1/batch') store(JSON.parse(body) as BatchRequest);
      return true;
    },
  };

  function store(batch: BatchRequest): { accepted: number; duplicates: number } {
    let duplicates = 0;
    for (const event of batch.events ?? []) {
      if (fake.stored.has(event.id)) duplicates++;
      else fake.stored.set(event.id, event);
    }
    return { accepted: (batch.events?.length ?? 0) - duplicates, duplicates };
  }

  function serve(request: HttpRequest): FakeAnswer {
    const body = request.body === undefined ? undefined : JSON.parse(request.body);
    if (request.path.split('?')[0] === '/v1/policy') return { status: 200, body: fake.policy };
    if (request.path === '/v1/consent') {
      const subject = (body as { subject: string }).subject;
      const first = !tokens.has(subject);
      tokens.add(subject);
      return { status: 200, body: { ...(first ? { subjectToken: `token-${subject.slice(0, 8)}` } : {}), policyVersion: fake.policy.version } };
    }
    if (request.path === '/v1/batch') {
      const counts = store(body as BatchRequest);
      return { status: 200, body: { ...counts, suppressed: 0, reasons: {}, consentRequired: false, policyVersion: fake.policy.version } };
    }
    return { status: 200, body: {} };
  }

  return fake;
}

function problem(status: number): unknown {
  return status >= 400 ? { type: 'about:blank', title: `status ${status}`, status, detail: `fake ${status}` } : {};
}
