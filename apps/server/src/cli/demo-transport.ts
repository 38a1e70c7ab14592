/**
 * The demo's SDK transport: `fetch` to the running server as the SDK's Node platform does it
 * (ingest as `text/plain`, the rights routes as JSON with the subject token), plus a tally of
 * what the SDK sent and what the server answered. The tally lets the demo prove that every
 * event the SDK queued arrived exactly once, and lets the simulation wait for the requests in
 * flight before it moves the clock on.
 */
import type { BatchResponse, WireEvent } from '@heed/policy';
import type { HttpRequest, HttpResponse, Transport } from '@heed/sdk/node';

export interface DeliveryTally {
  /** Requests sent, by path (retries included). */
  readonly requests: Record<string, number>;
  /** Events sent in batches, by type, each event id counted once. */
  readonly events: Record<string, number>;
  /** Distinct event ids sent: a retry sends the same ids again. */
  readonly ids: Set<string>;
  /** Client hashes that events were sent for. */
  readonly subjects: Set<string>;
  /** The `sdk` field of the batches, as the SDK wrote it. */
  readonly sdk: Set<string>;
  /** Sums of the server's batch answers. */
  accepted: number;
  duplicates: number;
  suppressed: number;
  rejected: number;
  /** Requests answered with a status outside 2xx. */
  failed: number;
}

export interface DemoTransport extends Transport {
  readonly tally: DeliveryTally;
  /** Resolves once no request is in flight (the SDK may send the next batch of a flush right after one ends). */
  idle(): Promise<void>;
  /**
   * Waits for `work` while it makes progress: until it settles, or until no request has been
   * in flight for `graceMs`. Then it waits on something else, such as a retry backoff on the
   * simulated clock that the waiting caller holds, and the caller goes on without it.
   */
  waitFor(work: Promise<unknown>, graceMs?: number): Promise<void>;
}

const TEXT = 'text/plain;charset=UTF-8';
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * @example const transport = createDemoTransport(server.url); createHeed({ ..., platform: { transport } })
 */
export function createDemoTransport(endpoint: string, fetchImpl: typeof fetch = fetch): DemoTransport {
  const tally: DeliveryTally = {
    requests: {}, events: {}, ids: new Set(), subjects: new Set(), sdk: new Set(),
    accepted: 0, duplicates: 0, suppressed: 0, rejected: 0, failed: 0,
  };
  const inFlight = new Set<Promise<HttpResponse>>();

  async function idle(): Promise<void> {
    while (inFlight.size > 0) {
      await Promise.allSettled([...inFlight]);
      await macrotask();
    }
  }

  function countBatch(body: string): void {
    const batch = JSON.parse(body) as { sdk: string; events: WireEvent[] };
    tally.sdk.add(batch.sdk);
    for (const event of batch.events) {
      tally.subjects.add(event.subject);
      if (tally.ids.has(event.id)) continue;
      tally.ids.add(event.id);
      tally.events[event.type] = (tally.events[event.type] ?? 0) + 1;
    }
  }

  async function deliver({ method, path, body, contentType, token, binary }: HttpRequest): Promise<HttpResponse> {
    tally.requests[path] = (tally.requests[path] ?? 0) + 1;
    if (path === '/v1/batch' && body) countBatch(body);
    const headers: Record<string, string> = {};
    if (body) headers['content-type'] = contentType === 'json' ? 'application/json' : TEXT;
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetchImpl(endpoint + path, { method, body, headers });
    let data: unknown = binary && response.ok ? await response.arrayBuffer() : await response.text();
    try {
      data = JSON.parse(data as string);
    } catch (error) {
      // Bytes (the CSV export), or a body that is not JSON: passed on as it came, like the SDK's transport.
      void error;
    }
    if (!response.ok) tally.failed++;
    else if (path === '/v1/batch') {
      const answer = data as BatchResponse;
      tally.accepted += answer.accepted;
      tally.duplicates += answer.duplicates;
      tally.suppressed += answer.suppressed;
      tally.rejected += answer.rejected;
    }
    return { status: response.status, headers: Object.fromEntries(response.headers), body: data };
  }

  return {
    tally,
    send(request) {
      const sending = deliver(request);
      inFlight.add(sending);
      const done = () => void inFlight.delete(sending);
      sending.then(done, done);
      return sending;
    },
    // The demo never closes a page with `pagehide`, so nothing asks for a beacon; refusing
    // keeps the events queued for the next flush, which is what a refused beacon means.
    beacon: () => false,
    idle,
    async waitFor(work, graceMs = 2_000) {
      let settled = false;
      const watched = work.then(
        () => void (settled = true),
        () => void (settled = true),
      );
      while (!settled) {
        await idle();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([watched, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
        if (!settled && inFlight.size === 0) return;
      }
    },
  };
}
