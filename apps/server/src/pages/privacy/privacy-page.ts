/**
 * The privacy page (`GET /privacy`): the same shell for every project and every subject. What
 * it shows about the subject, the purposes and the controller comes from the subject's own
 * access answer (`GET /v1/me`, under the policy of the subject's project), which the script
 * (privacy-script.browser.ts) reads; the shell carries only the page's own texts, in English
 * until the script switches to the reader's language (nl, fr or en).
 *
 * The platform links to it as `/privacy#t=<subject token>` (the SDK's `rights.privacyPageUrl()`):
 * a fragment never reaches the server or its logs, and the page moves it to sessionStorage at once.
 *
 * The DOM order is the focus order: language, what is held, what can be done, then what the
 * subject is owed to know (rights, complaints, retention, who and where from, the policy).
 */
import { escapeHtml } from '../html.js';
import { EN, type PageTexts } from './privacy-texts-en.browser.js';
import { LANGUAGES, TEXTS } from './privacy-texts.browser.js';

/** The keys of the page's own texts that are one plain string (not plurals or tables). */
type TextKey = { [K in keyof PageTexts]: PageTexts[K] extends string ? K : never }[keyof PageTexts];

/** An element whose text the script replaces in the reader's language (`data-t`). */
const t = (tag: string, key: TextKey, attributes = '') => `<${tag} data-t="${key}"${attributes}>${escapeHtml(EN[key])}</${tag}>`;

// Contrast: every text colour on its background is at least 4.5:1 (WCAG 1.4.3), and the focus
// ring is a 3px outline of its own colour, never only a change of shade (2.4.7).
const STYLE = `
  [hidden] { display: none !important; }
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #1d232a; background: #fff; }
  h1 { font-size: 1.5rem; margin: .5rem 0; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; } h3 { font-size: 1rem; margin: 0; }
  a { color: #0b57d0; }
  button, select { font: inherit; padding: .4rem .8rem; border-radius: .4rem; border: 1px solid #5b6670; background: #fff; color: #1d232a; }
  button { cursor: pointer; margin: .25rem .5rem .25rem 0; }
  button[aria-pressed="true"] { background: #1d232a; color: #fff; }
  button.danger { border-color: #b3261e; color: #b3261e; }
  :focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  #languages { display: flex; gap: .25rem; justify-content: flex-end; }
  #status { padding: .6rem .8rem; background: #eef3f7; border-radius: .4rem; }
  #hold { border: 2px solid #8a4b00; background: #fff8e6; padding: 0 1rem; border-radius: .4rem; }
  .basis, .note { color: #4a545e; } .state { font-weight: 600; }
  ul { padding-left: 1.2rem; } li { margin: .5rem 0; }
  label { display: block; font-weight: 600; margin-top: .5rem; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: .4rem; border-bottom: 1px solid #d5dbe1; }
  dialog { border: 1px solid #5b6670; border-radius: .6rem; max-width: 30rem; color: #1d232a; } dialog::backdrop { background: rgba(0, 0, 0, .45); }
`;

const section = (id: string, heading: TextKey, body: string) =>
  `<section id="${id}" aria-labelledby="${id}-heading">${t('h2', heading, ` id="${id}-heading"`)}\n${body}</section>`;

export function privacyPageHtml(): string {
  const languages = LANGUAGES.map(
    (lang) => `<button type="button" data-lang="${lang}" lang="${lang}" aria-pressed="${lang === 'en'}">${escapeHtml(TEXTS[lang].languageName)}</button>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${t('title', 'title')}
<style>${STYLE}</style></head>
<body>
<header>
<nav id="languages" aria-label="${escapeHtml(EN.languages)}">${languages}</nav>
${t('h1', 'title', ' id="heading"')}
<p id="status" role="status" tabindex="-1">${escapeHtml(EN.loading)}</p>
</header>
<main id="content" hidden>
<section id="hold" aria-labelledby="hold-heading" hidden>${t('h2', 'holdHeading', ' id="hold-heading"')}
  <p id="hold-text"></p><p id="hold-until"></p>${t('p', 'holdErasure')}</section>
${section('purposes-section', 'purposesHeading', '<ul id="purposes"></ul>')}
${section('held', 'heldHeading', `<ul><li id="events-count"></li><li id="sessions-count"></li><li id="requests-count"></li><li id="tz-held"></li><li id="device-held"></li></ul>
  <p>${t('button', 'exportJson', ' type="button" id="export-json"')} ${t('button', 'exportCsv', ' type="button" id="export-csv"')}</p>`)}
${section('rectify-section', 'rectifyHeading', `${t('p', 'rectifyIntro', ' id="rectify-intro"')}
  <form id="rectify" aria-describedby="rectify-intro">${t('label', 'timeZone', ' for="tz"')}<select id="tz"></select>
  ${t('label', 'deviceClass', ' for="device"')}<select id="device"></select>
  <p>${t('button', 'save', ' type="submit" id="save"')}</p></form>`)}
${section('controls', 'choicesHeading', `<p>${t('button', 'restrict', ' type="button" id="restrict" aria-describedby="restrict-text"')} ${t('span', 'restrictText', ' id="restrict-text"')}</p>
  <p>${t('button', 'withdraw', ' type="button" id="withdraw" aria-describedby="withdraw-text"')} ${t('span', 'withdrawText', ' id="withdraw-text"')}</p>
  <p>${t('button', 'erase', ' type="button" id="erase" class="danger" aria-describedby="erase-text"')} ${t('span', 'eraseText', ' id="erase-text"')}</p>
  <p><span id="tokens-count"></span> ${t('button', 'revoke', ' type="button" id="revoke"')}</p>`)}
${section('rights-section', 'rightsHeading', '<ul id="rights"></ul>')}
${section('complaint-section', 'complaintHeading', '<p id="complaint-text"></p><p id="complaint"></p>')}
${section('retention-section', 'retentionHeading', `<table><thead><tr>${t('th', 'retentionData', ' scope="col"')}${t('th', 'retentionWhat', ' scope="col"')}${t('th', 'retentionPeriod', ' scope="col"')}</tr></thead>
  <tbody id="retention"></tbody></table><p id="kept-longer" class="note"></p>`)}
${section('about', 'aboutHeading', `<p id="controller"></p>${t('h3', 'source')}<p id="source"></p>
  ${t('h3', 'recipients')}<ul id="recipients"></ul>${t('h3', 'automated')}<p id="automated"></p>`)}
<footer><p><span id="policy"></span> <a id="policy-link" href="#">${escapeHtml(EN.policyLink)}</a></p></footer>
</main>
<dialog id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-text">
<h2 id="confirm-title"></h2><p id="confirm-text"></p>
<p>${t('button', 'cancel', ' type="button" id="confirm-cancel"')} <button type="button" id="confirm-yes" class="danger"></button></p>
</dialog>
<script src="/privacy.js"></script>
</body></html>`;
}
