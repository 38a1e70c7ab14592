/**
 * The privacy page's script, bundled at build time for ES2017 browsers and served as
 * `/privacy.js` (the page's CSP allows only same-origin scripts). The subject token arrives in
 * the URL fragment (never sent to a server), is kept in this tab's sessionStorage and taken
 * out of the address bar at once. The language is the browser's first of nl, fr, en (or the
 * one chosen on the page, kept for this tab's session only). Every outcome is said in the
 * `role="status"` live region; erasure and withdrawal each ask first, in a modal dialog.
 */
import { api, ApiProblem, type Me } from './privacy-api.browser.js';
import { $, fillRectifyForm, render } from './privacy-render.browser.js';
import type { PageTexts } from './privacy-texts-en.browser.js';
import { fill, instant, isLang, named, pickLanguage, plural, TEXTS, type Lang } from './privacy-texts.browser.js';

const TOKEN_KEY = 'heed.subjectToken';
const LANG_KEY = 'heed.privacyLang';
/** The device classes the server accepts in a correction (@heed/policy DEVICE_CLASSES). */
const DEVICES = ['desktop', 'mobile', 'tablet', 'other'] as const;

/** Moves a token from the fragment into this tab's session; true when there was one. */
function takeFragmentToken(): boolean {
  const fragmentToken = new URLSearchParams(location.hash.slice(1)).get('t');
  if (!fragmentToken) return false;
  sessionStorage.setItem(TOKEN_KEY, fragmentToken);
  history.replaceState(null, '', location.pathname);
  return true;
}
takeFragmentToken();
// A privacy link followed while this page is open changes only the fragment: no new load.
window.addEventListener('hashchange', () => {
  if (takeFragmentToken()) location.reload();
});
const token = sessionStorage.getItem(TOKEN_KEY);

const chosen = sessionStorage.getItem(LANG_KEY);
let lang: Lang = isLang(chosen) ? chosen : pickLanguage(navigator.languages);
let state: Me | null = null;
/** The last outcome, as a function of the language, so a language switch says it again. */
let said: (t: PageTexts, lang: Lang) => string = (t) => t.loading;

function say(message: (t: PageTexts, lang: Lang) => string): void {
  said = message;
  $('status').textContent = message(TEXTS[lang], lang);
}

/** The state the buttons act on; they show only after the first answer. */
function current(): Me {
  if (!state) throw new Error('nothing is loaded yet');
  return state;
}

function applyLanguage(next: Lang): void {
  lang = next;
  const t = TEXTS[lang];
  document.documentElement.lang = lang;
  document.title = t.title;
  document.querySelectorAll<HTMLElement>('[data-t]').forEach((node) => {
    const text = t[node.getAttribute('data-t') as keyof PageTexts];
    if (typeof text === 'string') node.textContent = text;
  });
  $('languages').setAttribute('aria-label', t.languages);
  document.querySelectorAll<HTMLElement>('[data-lang]').forEach((button) => {
    button.setAttribute('aria-pressed', String(button.getAttribute('data-lang') === lang));
  });
  if (state) render(state, t, lang);
  $('status').textContent = said(t, lang);
}

async function reload(): Promise<void> {
  state = (await (await api(token ?? '', '/v1/me')).json()) as Me;
  render(state, TEXTS[lang], lang);
  fillRectifyForm(state, TEXTS[lang], DEVICES);
}

function whatHappened(error: unknown): (t: PageTexts, lang: Lang) => string {
  if (error instanceof ApiProblem && error.status === 401) return (t) => t.invalidToken;
  const detail = error instanceof Error ? error.message : String(error);
  return (t) => fill(t.failed, { detail });
}

/** Does one request, reloads the answer (every right leaves a trace in it), then says the outcome. */
async function act(method: string, path: string, body: unknown, outcome: (t: PageTexts, lang: Lang) => string): Promise<void> {
  try {
    await api(token ?? '', path, { method, body });
    await reload();
    say(outcome);
  } catch (error) {
    say(whatHappened(error));
  }
}

/**
 * A real confirmation step for what cannot be taken back lightly: a modal dialog (focus moves
 * into it, Escape cancels, the page behind is inert), Cancel first and focused. Resolves true
 * only on the confirming button; focus returns to the button that asked.
 */
function confirmStep(title: string, text: string, yes: string, trigger: HTMLElement): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('confirm');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-yes').textContent = yes;
  return new Promise((resolve) => {
    const finish = (confirmed: boolean) => {
      $('confirm-yes').removeEventListener('click', onYes);
      $('confirm-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      trigger.focus();
      resolve(confirmed);
    };
    const onYes = () => finish(true);
    const onCancel = () => finish(false);
    const onClose = () => finish(false);
    $('confirm-yes').addEventListener('click', onYes);
    $('confirm-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

async function erase(trigger: HTMLElement): Promise<void> {
  const t = TEXTS[lang];
  if (!(await confirmStep(t.confirmEraseTitle, t.confirmEraseText, t.confirmErase, trigger))) return say((t) => t.cancelled);
  try {
    await api(token ?? '', '/v1/me', { method: 'DELETE' });
  } catch (error) {
    if (!(error instanceof ApiProblem && error.problem === 'legal-hold')) return say(whatHappened(error));
    // Refused under a legal hold (Art. 17(3)): the refusal is now in the request log, and the
    // hold in the answer says on what ground and until when.
    try {
      await reload();
    } catch (reloadError) {
      return say(whatHappened(reloadError));
    }
    const hold = current().subject.legalHold;
    const detail = error.message;
    return say((t, lang) => {
      if (hold === null) return fill(t.failed, { detail });
      const until = hold.until === null ? t.holdOpen : fill(t.holdUntil, { date: instant(lang, hold.until) });
      return fill(t.eraseRefused, { ground: named(t.holdGrounds, hold.ground), until });
    });
  }
  sessionStorage.removeItem(TOKEN_KEY);
  state = null;
  $('content').hidden = true;
  say((t) => t.erased);
  // The button that had focus is gone: the outcome is where the reader continues.
  $('status').focus();
}

function wire(): void {
  document.querySelectorAll<HTMLElement>('[data-lang]').forEach((button) => {
    button.addEventListener('click', () => {
      const next = button.getAttribute('data-lang');
      if (!isLang(next)) return;
      sessionStorage.setItem(LANG_KEY, next);
      applyLanguage(next);
    });
  });
  $('purposes').addEventListener('click', (event) => {
    const button = event.target instanceof HTMLElement ? event.target.closest('button') : null;
    if (!button) return;
    const consentFor = button.getAttribute('data-consent-for');
    const objectFor = button.getAttribute('data-object-for');
    const { subject } = current();
    if (consentFor !== null) {
      const purposes: Record<string, boolean> = {};
      const granted = subject.consent && !subject.consent.withdrawn ? subject.consent.granted : [];
      granted.forEach((id) => {
        purposes[id] = true;
      });
      purposes[consentFor] = granted.indexOf(consentFor) < 0;
      void act('POST', '/v1/me/consent', { purposes }, (t) => t.consentChanged);
    } else if (objectFor !== null) {
      void act('POST', '/v1/me/object', { purposes: [objectFor], objected: subject.objected.indexOf(objectFor) < 0 }, (t) => t.objectionChanged);
    }
  });
  $('export-json').addEventListener('click', () => void download('json', 'heed-export.json'));
  $('export-csv').addEventListener('click', () => void download('csv', 'heed-export.zip'));
  $('rectify').addEventListener('submit', (event) => {
    event.preventDefault();
    const { subject } = current();
    const patch: { tz?: string; device?: string } = {};
    const tz = $<HTMLSelectElement>('tz').value;
    const device = $<HTMLSelectElement>('device').value;
    if (tz !== '' && tz !== subject.timeZone) patch.tz = tz;
    if (device !== '' && device !== subject.deviceClass) patch.device = device;
    if (Object.keys(patch).length === 0) return say((t) => t.nothingChanged);
    void act('PATCH', '/v1/me', patch, (t) => t.saved);
  });
  $('restrict').addEventListener('click', () => {
    const restricted = !current().subject.restricted;
    void act('POST', '/v1/me/restrict', { restricted }, (t) => (restricted ? t.restricted : t.restrictionLifted));
  });
  $('withdraw').addEventListener('click', async (event) => {
    const t = TEXTS[lang];
    const trigger = event.currentTarget as HTMLElement;
    if (await confirmStep(t.confirmWithdrawTitle, t.confirmWithdrawText, t.confirmWithdraw, trigger)) void act('POST', '/v1/me/withdraw', {}, (t) => t.withdrawn);
    else say((t) => t.cancelled);
  });
  $('erase').addEventListener('click', (event) => void erase(event.currentTarget as HTMLElement));
  $('revoke').addEventListener('click', async () => {
    try {
      const { revoked } = (await (await api(token ?? '', '/v1/me/tokens', { method: 'DELETE' })).json()) as { revoked: number };
      await reload();
      say((t, lang) => plural(lang, t.revoked, revoked));
    } catch (error) {
      say(whatHappened(error));
    }
  });
}

async function download(format: 'json' | 'csv', name: string): Promise<void> {
  try {
    const blob = await (await api(token ?? '', `/v1/me?format=${format}`)).blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.click();
    say((t) => t.exporting);
  } catch (error) {
    say(whatHappened(error));
  }
}

wire();
applyLanguage(lang);
if (!token) say((t) => t.noToken);
else {
  reload().then(
    () => {
      const { consent, restricted } = current().subject;
      say((t) => (consent && consent.withdrawn ? t.loadedWithdrawn : restricted ? t.loadedRestricted : t.loaded));
    },
    (error: unknown) => say(whatHappened(error)),
  );
}
