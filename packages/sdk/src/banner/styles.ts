/**
 * The banner's stylesheet, inside its shadow root so the host page's styles and the banner's
 * never mix. Themable from the host page with CSS custom properties (they cross the shadow
 * boundary), e.g. `heed-consent-banner { --heed-accent: #0b5; }`. Accept and reject share one
 * rule: reject is exactly as prominent as accept. The default colours meet WCAG AA contrast.
 */
export const BANNER_CSS = `
:host { all: initial; }
.banner {
  position: fixed; inset: auto 1rem 1rem 1rem; z-index: var(--heed-z-index, 2147483000);
  max-width: var(--heed-max-width, 44rem); margin: 0 auto; box-sizing: border-box;
  padding: 1.25rem; border-radius: var(--heed-radius, 0.75rem);
  background: var(--heed-background, #ffffff); color: var(--heed-color, #1a1a1a);
  font: var(--heed-font, 1rem/1.5 system-ui, sans-serif);
  box-shadow: 0 0.5rem 2rem rgb(0 0 0 / 0.25); border: 1px solid var(--heed-border, #767676);
  max-height: calc(100vh - 2rem); overflow: auto;
}
.banner[hidden] { display: none; }
.head { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
h2 { margin: 0; font-size: 1.25em; }
p { margin: 0.5rem 0; }
.notice { font-weight: 600; }
a { color: var(--heed-link, #0044cc); }
select { font: inherit; color: inherit; background: inherit; border: 1px solid var(--heed-border, #767676); border-radius: 0.25rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 1rem; }
button { font: inherit; cursor: pointer; border-radius: var(--heed-radius, 0.5rem); padding: 0.6rem 1rem; }
.choice { flex: 1 1 10rem; background: var(--heed-accent, #0b4f8a); color: var(--heed-on-accent, #ffffff); border: 2px solid var(--heed-accent, #0b4f8a); font-weight: 600; }
.secondary { flex: 1 1 10rem; background: transparent; color: inherit; border: 2px solid var(--heed-border, #767676); }
button:focus-visible, select:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid var(--heed-focus, #c05600); outline-offset: 2px; }
fieldset { border: 0; padding: 0; margin: 1rem 0 0; }
legend { font-weight: 600; padding: 0; }
.purpose { margin: 0.75rem 0; }
.purpose label { display: flex; gap: 0.5rem; align-items: center; font-weight: 600; }
.purpose p { margin: 0.25rem 0 0 1.75rem; }
.basis { font-size: 0.9em; }
`;
