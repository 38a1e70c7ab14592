/**
 * `<HeedProvider>`: creates one Heed client for the tree, in the browser only and after mount,
 * and shuts it down on unmount. Safe under server-side rendering: importing `@heed/sdk`
 * touches no global that could be missing, and the client is created in an effect, which the
 * server never runs, so server and browser render the same first tree.
 */
import { createHeed, type Heed, type HeedOptions } from '@heed/sdk';
import { useEffect, useState, type ReactNode } from 'react';
import { HeedContext } from './context.js';

export interface HeedProviderProps {
  /** Options for `createHeed`; read once, when the provider mounts. */
  readonly options?: HeedOptions;
  /** A client made elsewhere (tests, or one shared with code outside React). Wins over `options`. */
  readonly client?: Heed;
  readonly children?: ReactNode;
}

/**
 * @example
 * <HeedProvider options={{ endpoint: 'https://heed.example.com', writeKey: 'heed_wk_...', projectId: 'acme' }}>
 *   <App />
 * </HeedProvider>
 */
export function HeedProvider({ options, client, children }: HeedProviderProps) {
  const [created, setCreated] = useState<Heed | undefined>(undefined);
  useEffect(() => {
    if (client || !options) return;
    const made = createHeed(options);
    setCreated(made);
    return () => {
      setCreated(undefined);
      void made.shutdown();
    };
    // The options are read once (a new object each render must not make a new client).
  }, [client]);
  return <HeedContext.Provider value={client ?? created}>{children}</HeedContext.Provider>;
}
