/**
 * The HTTP transport over `fetch` (browsers and Node 18+), with `sendBeacon` (or `fetch`
 * with `keepalive`) for unload. Ingest bodies go as `text/plain`, a CORS-simple request:
 * no preflight, and the same body works for a beacon, which cannot set headers. No header
 * says so: `fetch` and `sendBeacon` label a string body `text/plain;charset=UTF-8` by
 * themselves (Fetch standard, "extract a body").
 */
import type { Transport } from '../core/platform.js';

/**
 * The global `fetch` is looked up on each call, so a test that replaces it is heard.
 *
 * @example const transport = createFetchTransport('https://heed.example.com', navigator.sendBeacon.bind(navigator))
 */
export function createFetchTransport(endpoint: string, sendBeacon?: (url: string, body: string) => boolean): Transport {
  return {
    async send({ method, path, body, contentType, token, binary }) {
      const headers: Record<string, string> = {};
      if (body && contentType === 'json') headers['content-type'] = 'application/json';
      if (token) headers.authorization = 'Bearer ' + token;
      const response = await fetch(endpoint + path, { method, body, headers, credentials: 'omit' });
      let data: unknown = binary && response.ok ? await response.arrayBuffer() : await response.text();
      try {
        data = JSON.parse(data as string);
      } catch {
        // Bytes, or not JSON (an HTML error page from a proxy): the body as it came.
      }
      return { status: response.status, headers: Object.fromEntries(response.headers), body: data };
    },
    beacon(path, body) {
      try {
        if (sendBeacon) return sendBeacon(endpoint + path, body);
        // The page or process is going away; a failure here cannot be reported, the events stay stored.
        fetch(endpoint + path, { method: 'POST', body, keepalive: true }).catch(String);
        return true;
      } catch {
        // sendBeacon throws on some browsers for a URL it dislikes: treat as refused.
        return false;
      }
    },
  };
}
