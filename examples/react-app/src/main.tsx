/** Adds Heed at the root: one provider, the banner beside the app. */
import { ConsentBanner, HeedProvider } from '@heed/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { bannerLang, heedOptions } from './config.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <HeedProvider options={heedOptions}>
      <ConsentBanner lang={bannerLang} />
      <App />
    </HeedProvider>
  </StrictMode>,
);
