/**
 * `@heed/react`: Heed in a React app. A provider that creates the client in the browser after
 * mount, hooks for consent (re-rendering on every change), tracking, timing and identity, and
 * the consent banner, loaded lazily. Works with React 18 and 19 and under server rendering.
 */
export { HeedProvider } from './provider.js';
export type { HeedProviderProps } from './provider.js';
export { useConsent, useHeed, useIdentify, useTime, useTimer, useTrack } from './hooks.js';
export type { UseConsent } from './hooks.js';
export { ConsentBanner } from './consent-banner.js';
export type { ConsentBannerProps } from './consent-banner.js';
export { HeedContext } from './context.js';
