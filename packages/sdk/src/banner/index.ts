/**
 * `@heed/sdk/banner`: the drop-in consent banner, framework-free, a module of its own so it
 * never weighs on the SDK's main chunk: import it lazily (`await import('@heed/sdk/banner')`).
 */
export { mountConsentBanner } from './banner.js';
export type { ConsentBanner, ConsentBannerOptions } from './banner.js';
export { LANGUAGES, TEXTS, pickLanguage } from './texts.js';
export type { BannerLanguage, BannerTexts } from './texts.js';
