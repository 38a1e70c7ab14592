/**
 * Where the app finds its Heed server: `?endpoint=&key=&project=` in the address (the test
 * suite starts a server per run), else the `VITE_HEED_*` variables of the build.
 */
import type { HeedOptions } from '@heed/sdk';

const query = new URLSearchParams(location.search);
// Vite's variables (typed here, so the workspace's type check needs no Vite types).
const env = (import.meta as ImportMeta & { env?: Record<string, string | undefined> }).env ?? {};

export const heedOptions: HeedOptions = {
  endpoint: query.get('endpoint') ?? env.VITE_HEED_ENDPOINT ?? 'http://127.0.0.1:8787',
  writeKey: query.get('key') ?? env.VITE_HEED_WRITE_KEY ?? '',
  projectId: query.get('project') ?? env.VITE_HEED_PROJECT ?? '',
  // The suite shortens the batching interval to see batches quickly.
  flushIntervalMs: Number(query.get('flush') ?? 5_000),
};

/** The banner's language, when the address fixes one (`?lang=fr`); else the browser's. */
export const bannerLang = (query.get('lang') ?? undefined) as 'nl' | 'fr' | 'en' | undefined;
