/**
 * The drop-in consent banner, framework-free. It asks only when there is something to ask
 * (no decision yet, or a substantial policy change superseded the last one), with the
 * purposes, legal bases and texts of the policy in force (`consent.policy()`, the one request
 * it makes before a choice; it stores nothing itself). Reject is exactly as easy and as
 * prominent as accept: the same style, side by side, and the same number of key presses
 * from where the banner puts the focus (the "choose per purpose" button between them: Shift+Tab
 * reaches reject, Tab reaches accept). Consent-based purposes have a switch each, off until
 * the user turns it on; legitimate-interest purposes are shown with an objection switch.
 *
 * Lives in a shadow root on a `<heed-consent-banner>` element, so page styles do not leak in;
 * themed with CSS custom properties (`styles.ts`). Texts are written with `textContent` only.
 */
import type { PolicyDocument, Purpose } from '@heed/policy';
import type { ConsentResult, ConsentState, Heed } from '../core/heed.js';
import { BANNER_CSS } from './styles.js';
import { LANGUAGES, TEXTS, pickLanguage, type BannerLanguage, type BannerTexts } from './texts.js';

export interface ConsentBannerOptions {
  /** Where the banner's element goes. Default `document.body`. */
  readonly container?: HTMLElement;
  /** The language to start in; default the browser's first of nl, fr, en (else en). The user can switch. */
  readonly lang?: BannerLanguage;
  /** Replaces some of the banner's words, per language. */
  readonly texts?: Partial<Record<BannerLanguage, Partial<BannerTexts>>>;
  /** Called with the outcome of each choice made in the banner. */
  readonly onChoice?: (result: ConsentResult) => void;
}

export interface ConsentBanner {
  /** The `<heed-consent-banner>` element. */
  readonly element: HTMLElement;
  /** Shows the banner even after a decision (a "privacy choices" link in the footer). */
  open(): Promise<void>;
  /** Hides it until the next change that needs a decision. */
  close(): void;
  /** Removes it and stops listening. */
  destroy(): void;
}

/** The statuses with something to ask. */
const ASK: readonly ConsentState['status'][] = ['undecided', 'superseded'];

/**
 * Mounts the banner for this client. It shows itself when a decision is needed, now or later
 * (a policy change seen while the page is open), and hides once one is made.
 *
 * @example
 * const { mountConsentBanner } = await import('@heed/sdk/banner')
 * mountConsentBanner(heed, { lang: 'nl' })
 */
export function mountConsentBanner(heed: Pick<Heed, 'consent'>, options: ConsentBannerOptions = {}): ConsentBanner {
  const { consent } = heed;
  const doc = (options.container ?? document.body).ownerDocument;
  const element = doc.createElement('heed-consent-banner');
  const root = element.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = BANNER_CSS;
  const dialog = doc.createElement('section');
  dialog.className = 'banner';
  dialog.hidden = true;
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'false');
  dialog.setAttribute('aria-labelledby', 'heed-title');
  dialog.setAttribute('aria-describedby', 'heed-intro');
  root.append(style, dialog);
  (options.container ?? doc.body).append(element);

  let lang = options.lang ?? pickLanguage(doc.defaultView?.navigator.languages);
  let policy: PolicyDocument | undefined;
  let expanded = false;
  let forced = false;
  let returnFocus: Element | null = null;
  const words = (): BannerTexts => ({ ...TEXTS[lang], ...options.texts?.[lang] });
  const local = (text: Purpose['title']) => (lang === 'nl' ? text.nl : text.en);

  function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
    const node = Object.assign(doc.createElement(tag), props);
    node.append(...children);
    return node;
  }

  function button(action: string, text: string, className: string): HTMLButtonElement {
    const node = el('button', { type: 'button', className, textContent: text });
    node.dataset.action = action;
    return node;
  }

  /** A switch (a checkbox with the switch role) for one purpose. */
  function purposeRow(purpose: Purpose, kind: 'consent' | 'object', on: boolean): HTMLElement {
    const t = words();
    const input = el('input', { type: 'checkbox', checked: on });
    input.setAttribute('role', 'switch');
    input.dataset[kind] = purpose.id;
    const title = kind === 'object' ? `${t.object}: ${local(purpose.title)}` : local(purpose.title);
    return el('div', { className: 'purpose' }, el('label', {}, input, title), el('p', { textContent: local(purpose.description) }), el('p', { className: 'basis', textContent: t.bases[purpose.basis] }));
  }

  function render(): void {
    if (!policy) return;
    const t = words();
    const state = consent.get();
    dialog.lang = lang;
    const select = el('select', { id: 'heed-lang' });
    select.setAttribute('aria-label', t.language);
    for (const code of LANGUAGES) select.append(el('option', { value: code, textContent: { nl: 'Nederlands', fr: 'Français', en: 'English' }[code], selected: code === lang }));
    select.lang = lang;
    select.addEventListener('change', () => {
      lang = select.value as BannerLanguage;
      render();
      root.getElementById('heed-lang')?.focus();
    });
    const link = el('a', { href: consent.privacyUrl(), textContent: t.privacyPage, target: '_blank', rel: 'noopener' });
    const choose = button('choose', t.choose, 'secondary');
    choose.setAttribute('aria-expanded', String(expanded));
    choose.setAttribute('aria-controls', 'heed-purposes');
    const purposes = el('fieldset', { id: 'heed-purposes', hidden: !expanded }, el('legend', { textContent: t.purposes }));
    for (const purpose of policy.purposes) {
      if (purpose.basis === 'consent') purposes.append(purposeRow(purpose, 'consent', state.purposes.includes(purpose.id)));
      else if (purpose.basis === 'legitimate_interest') purposes.append(purposeRow(purpose, 'object', state.objected.includes(purpose.id)));
      else purposes.append(el('div', { className: 'purpose' }, el('p', { textContent: `${local(purpose.title)}: ${t.bases[purpose.basis]}` })));
    }
    purposes.append(el('div', { className: 'actions' }, button('save', t.save, 'secondary')));
    dialog.replaceChildren(
      el('div', { className: 'head' }, el('h2', { id: 'heed-title', textContent: t.title }), select),
      el('p', { id: 'heed-intro' }, `${t.intro} `, link),
      ...(state.status === 'superseded' ? [el('p', { className: 'notice', textContent: t.changed })] : []),
      // Reject and accept: one style, side by side, one key press each from the focused middle button.
      el('div', { className: 'actions' }, button('reject', t.reject, 'choice'), choose, button('accept', t.accept, 'choice')),
      purposes,
    );
  }

  async function show(): Promise<void> {
    policy = await consent.policy();
    // Without the policy there is nothing to consent to (the failure went to onError).
    if (!policy) return;
    const opening = dialog.hidden;
    render();
    dialog.hidden = false;
    if (opening) {
      returnFocus = doc.activeElement;
      (root.querySelector('[data-action="choose"]') as HTMLElement | null)?.focus();
    }
  }

  function hide(): void {
    if (dialog.hidden) return;
    dialog.hidden = true;
    forced = false;
    expanded = false;
    if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus();
  }

  /** Follows the consent state: asks when it needs a decision, steps aside once there is one. */
  function sync(state: ConsentState): void {
    if (ASK.includes(state.status)) void show();
    else if (!forced) hide();
    else render();
  }

  async function choose(action: string): Promise<void> {
    const ids = (kind: 'consent' | 'object') =>
      [...root.querySelectorAll<HTMLInputElement>(`input[data-${kind}]`)].filter((input) => input.checked).map((input) => input.dataset[kind]!);
    const all = policy?.purposes.filter((purpose) => purpose.basis === 'consent').map((purpose) => purpose.id) ?? [];
    const result =
      action === 'accept' ? await consent.grant(all, []) : action === 'reject' ? await consent.deny() : await consent.grant(ids('consent'), ids('object'));
    forced = false;
    options.onChoice?.(result);
    if (!ASK.includes(result.status)) hide();
  }

  dialog.addEventListener('click', (event) => {
    const action = (event.target as HTMLElement).closest('button')?.dataset.action;
    if (!action) return;
    if (action !== 'choose') return void choose(action);
    expanded = !expanded;
    render();
    (root.querySelector('[data-action="choose"]') as HTMLElement | null)?.focus();
  });

  const unsubscribe = consent.subscribe(sync);
  sync(consent.get());

  return {
    element,
    async open() {
      forced = true;
      await show();
    },
    close: hide,
    destroy() {
      unsubscribe();
      element.remove();
    },
  };
}
