/**
 * The script-tag build (`dist/heed.global.js`, served as `/sdk/heed.js`): sets
 * `globalThis.Heed` so a page without a bundler can write
 * `<script src="/sdk/heed.js"></script><script>const heed = Heed.createHeed({...})</script>`.
 */
import { createHeed, HeedError, HeedRequestError } from './browser.js';

/** What `window.Heed` holds. */
export const Heed = { createHeed, HeedError, HeedRequestError, version: '0.1.0' };

(globalThis as typeof globalThis & { Heed?: typeof Heed }).Heed = Heed;
