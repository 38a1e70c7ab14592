/**
 * The demo's SDK transport: HTTP to the running server as the SDK's platforms speak it
 * (ingest as `text/plain`, the rights routes as JSON with the subject token; a closing page's
 * beacon as a POST), plus a tally of what the SDK sent and what the server answered. The tally
 * lets the demo prove that every event the SDK queued arrived exactly once, and lets the
 * simulation wait for the requests in flight before it moves the clock on.
 *
 * The wire is `node:http` with a keep-alive agent rather than `fetch`, which the SDK's Node
 * platform uses: in Node 20 a `fetch` cost the demo about 1.6 ms of CPU per request, a
 * quarter of its whole run, and the demo sends one request per visit.
 */
import { Agent, request } from 'node:http';
import type { BatchResponse, WireEvent } from '@heed/policy';
import type { HttpRequest, HttpResponse, Transport } from '@heed/sdk/node';

/** One HTTP exchange: all the transport needs from the network, so tests can watch it. */
export type Exchange = (
  url: string,
  init: { readonly method: string; readonly headers: Readonly<Record<string, string>>; readonly body?: string },
) => Promise<{ readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: Buffer }>;

/**
 * An exchange over `node:http`, reusing connections. `close()` ends them.
 *
 * @example const exchange = httpExchange(); await exchange(`${url}/v1/policy`, { method: 'GET', headers: {} })
 */
export function httpExchange(): Exchange & { close(): void } {
  const agent = new Agent({ keepAlive: true });
  const exchange = (url: string, { method, headers, body }: Parameters<Exchange>[1]) =>
    new Promise<Awaited<ReturnType<Exchange>>>((resolve, reject) => {
      const outgoing = request(url, { method, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers as Record<string, string>, body: Buffer.concat(chunks) }));
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return Object.assign(exchange, { close: () => agent.destroy() });
}

export interface DeliveryTally {
  /** Requests sent, by path (retries included). */
  readonly requests: Record<string, number>;
  /** Events sent in batches, by type, each event id counted once. */
  readonly events: Record<string, number>;
  /** Distinct event ids sent: a retry sends the same ids again. */
  readonly ids: Set<string>;
  /** The `sdk` field of the batches, as the SDK wrote it. */
  readonly sdk: Set<string>;
  /** Sums of the server's batch answers. */
  accepted: number;
  duplicates: number;
  suppressed: number;
  rejected: number;
  /** Requests answered with a status outside 2xx, and beacons that got no answer. */
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
 * @example const transport = createDemoTransport(server.url, httpExchange()); createHeed({ ..., platform: { transport } })
 */
export function createDemoTransport(endpoint: string, exchange: Exchange): DemoTransport {
  const tally: DeliveryTally = {
    requests: {}, events: {}, ids: new Set(), sdk: new Set(),
    accepted: 0, duplicates: 0, suppressed: 0, rejected: 0, failed: 0,
  };
  const inFlight = new Set<Promise<HttpResponse>>();

  function track(sending: Promise<HttpResponse>): Promise<HttpResponse> {
    inFlight.add(sending);
    const done = () => void inFlight.delete(sending);
    sending.then(done, done);
    return sending;
  }

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
    const response = await exchange(endpoint + path, { method, headers, ...(body === undefined ? {} : { body }) });
    const ok = response.status >= 200 && response.status < 300;
    let data: unknown;
    if (binary && ok) data = response.body.buffer.slice(response.body.byteOffset, response.body.byteOffset + response.body.byteLength);
    else {
      data = response.body.toString('utf8');
      try {
        data = JSON.parse(data as string);
      } catch (error) {
        // Not JSON (an error page from a proxy): passed on as it came, like the SDK's transport.
        void error;
      }
    }
    if (!ok) tally.failed++;
    else if (path === '/v1/batch') {
      const answer = data as BatchResponse;
      tally.accepted += answer.accepted;
      tally.duplicates += answer.duplicates;
      tally.suppressed += answer.suppressed;
      tally.rejected += answer.rejected;
    }
    return { status: response.status, headers: response.headers, body: data };
  }

  return {
    tally,
    send: (request) => track(deliver(request)),
    // A closing page hands its queue to the beacon. As with the browser's sendBeacon, the SDK
    // does not learn the outcome; the tally does, and a lost beacon shows there as events sent
    // but not accepted.
    beacon(path, body) {
      track(deliver({ method: 'POST', path, body, contentType: 'text' })).catch(() => void tally.failed++);
      return true;
    },
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
