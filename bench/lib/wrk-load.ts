/**
 * Ingest load from `wrk` (Debian's package: `apt-get install wrk`), a load generator written in
 * C: on two cores it leaves more CPU to the server and PostgreSQL than autocannon in Node.
 * A Lua script builds each request: a batch of one random consenting subject's new session
 * (the shape of `event-rows.ts`), with ids unique across threads, instances and runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSubject } from './server-process.js';

export interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** The Lua of one load: subjects and the write key inlined, ids prefixed with `tag`. */
function script(writeKey: string, subjects: readonly BenchSubject[], batchSize: number, tag: string): string {
  const list = subjects.map(({ subject, identity }) => `{"${subject}","${identity}"}`).join(',\n');
  return `
local subjects = {${list}}
local counter = 0
local prefix = "${tag}"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  prefix = prefix .. "t" .. tid
  math.randomseed(os.time() * 1000 + tid)
end
function request()
  counter = counter + 1
  local s = subjects[math.random(#subjects)]
  local now = os.time() * 1000
  local sid = string.format("%s_%010d", prefix, counter)
  local parts = {}
  for n = 0, ${batchSize - 1} do
    if n % 10 == 0 then
      parts[#parts + 1] = '{"id":"' .. sid .. '_' .. n .. '","type":"track","ts":' .. (now - n) .. ',"sessionId":"' .. sid .. '","subject":"' .. s[1] .. '","name":"report.exported","durationMs":420,"props":{"format":"pdf"}}'
    else
      parts[#parts + 1] = '{"id":"' .. sid .. '_' .. n .. '","type":"heartbeat","ts":' .. (now - n) .. ',"sessionId":"' .. sid .. '","subject":"' .. s[1] .. '","activeMs":15000}'
    end
  end
  local body = '{"writeKey":"${writeKey}","sentAt":' .. now .. ',"tz":"Europe/Brussels","device":"desktop","sdk":"bench/1","proofs":{"' .. s[1] .. '":{"identity":"' .. s[2] .. '"}},"events":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/v1/batch", {["content-type"] = "text/plain"}, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"us":%d,"non2xx":%d,"errors":%d,"p50":%f,"p99":%f}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
`;
}

/**
 * Posts batches to `url` for `seconds` over `connections` connections.
 *
 * @example await wrkBatches({ url, writeKey, subjects, batchSize: 50, seconds: 10, connections: 10, tag: 'r1a' })
 */
export async function wrkBatches(options: {
  url: string; writeKey: string; subjects: readonly BenchSubject[]; batchSize: number; seconds: number; connections: number; tag: string;
}): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'heed-wrk-'));
  const file = join(dir, 'batch.lua');
  writeFileSync(file, script(options.writeKey, options.subjects, options.batchSize, options.tag));
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s', '-s', file, `${options.url}/v1/batch`], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('error', (error) => reject(new Error('cannot run wrk: install it with `apt-get install wrk`', { cause: error })));
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}:\n${text}`))));
    });
    const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
    if (!line) throw new Error(`wrk printed no result:\n${out}`);
    const r = JSON.parse(line.slice('WRK_RESULT '.length)) as { requests: number; us: number; non2xx: number; errors: number; p50: number; p99: number };
    return { requests: r.requests, seconds: r.us / 1e6, non2xx: r.non2xx, errors: r.errors, p50Ms: r.p50, p99Ms: r.p99 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
