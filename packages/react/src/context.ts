/**
 * The client the provider shares. `undefined` while there is none: on the server, during the
 * first render in the browser (the client is created after mount, so server and browser render
 * the same thing), and after the provider unmounted.
 */
import type { Heed } from '@heed/sdk';
import { createContext } from 'react';

export const HeedContext = createContext<Heed | undefined>(undefined);
