/**
 * `<ConsentBanner>`: the drop-in banner of `@heed/sdk/banner` in a React tree. The banner's
 * code is imported when the component mounts in the browser, so it is a chunk of its own in
 * the app's build and never part of the first paint; server rendering outputs an empty
 * element.
 */
import type { ConsentBanner as Banner, ConsentBannerOptions } from '@heed/sdk/banner';
import { useEffect, useRef } from 'react';
import { useHeed } from './hooks.js';

export interface ConsentBannerProps extends Omit<ConsentBannerOptions, 'container'> {
  /** Receives the banner once mounted: `open()` it from a "privacy choices" link. */
  readonly onReady?: (banner: Banner) => void;
}

/**
 * @example <HeedProvider options={options}><ConsentBanner /><App /></HeedProvider>
 */
export function ConsentBanner({ onReady, ...options }: ConsentBannerProps) {
  const heed = useHeed();
  const container = useRef<HTMLDivElement>(null);
  const latest = useRef({ onReady, options });
  latest.current = { onReady, options };
  useEffect(() => {
    if (!heed || !container.current) return;
    let live = true;
    let banner: Banner | undefined;
    void import('@heed/sdk/banner').then(({ mountConsentBanner }) => {
      if (!live || !container.current) return;
      banner = mountConsentBanner(heed, { ...latest.current.options, container: container.current });
      latest.current.onReady?.(banner);
    });
    return () => {
      live = false;
      banner?.destroy();
    };
  }, [heed]);
  return <div ref={container} data-heed-banner="" />;
}
