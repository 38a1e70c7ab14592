/**
 * Reads a request body into memory, refusing more than `limit` bytes (413), also when the
 * body is chunked and declares no length. On @hono/node-server it reads the Node request
 * stream directly: the ingest routes take this path for every batch, and going through the
 * web `Request` (a ReadableStream over the socket, as hono's bodyLimit does) cost more than
 * parsing the JSON. Elsewhere (`app.request()` in tests) it reads the web stream, counting.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpProblem } from './problem.js';

const tooLarge = (limit: number) => new HttpProblem('body_too_large', { detail: `The body exceeds ${limit} bytes.` });

/**
 * The same 413 as middleware, for routes that authorise before they read (the rights routes):
 * hono's body limit, answering with this problem.
 */
export const limitBody = (limit: number) =>
  bodyLimit({
    maxSize: limit,
    onError: () => {
      throw tooLarge(limit);
    },
  });

function readIncoming(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > limit) {
        // Read no further; the server drains or closes the connection after the answer.
        stop();
        incoming.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    }
    function onEnd() {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    }
    function onError(error: Error) {
      stop();
      reject(error);
    }
    function onClose() {
      if (incoming.readableEnded) return onEnd();
      stop();
      reject(new Error('The client closed the connection before the body was complete.'));
    }
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

async function readStream(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * @example const bytes = await readBoundedBody(c, 65_536); // throws the 413 problem past the limit
 */
export async function readBoundedBody(c: Context, limit: number): Promise<Uint8Array> {
  const declared = c.req.header('content-length');
  // A declared length is checked before reading; Node's parser holds the body to it.
  if (declared !== undefined && c.req.header('transfer-encoding') === undefined && Number.parseInt(declared, 10) > limit) throw tooLarge(limit);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && typeof incoming.on === 'function' && !incoming.readableDidRead) return readIncoming(incoming, limit);
  const body = c.req.raw.body;
  return body ? readStream(body, limit) : new Uint8Array(0);
}
