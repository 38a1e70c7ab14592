/**
 * Draws the access answer into the privacy page's shell (privacy-page.ts) in one language.
 * Every value is written as text (textContent, attributes), never as HTML. A text the policy
 * has only in English is marked `lang="en"`, so a screen reader reads it as English.
 */
import type { Me } from './privacy-api.browser.js';
import type { PageTexts } from './privacy-texts-en.browser.js';
import { calendarDate, duration, fill, instant, localized, named, plural, type Lang, type Localized } from './privacy-texts.browser.js';

/** An element of the page's shell: its absence is a bug, not a state. */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the privacy page has no #${id}`);
  return node as T;
}

function el(tag: string, text = '', attributes: Readonly<Record<string, string>> = {}): HTMLElement {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const name of Object.keys(attributes)) node.setAttribute(name, attributes[name] ?? '');
  return node;
}

/** A text from the answer in `lang`, marked with the language it fell back to. */
function policyText(tag: string, text: Localized, lang: Lang, attributes: Readonly<Record<string, string>> = {}): HTMLElement {
  const chosen = localized(text, lang);
  return el(tag, chosen.text, chosen.lang === lang ? attributes : { ...attributes, lang: chosen.lang });
}

/** Replaces `{name}` placeholders with nodes (links), the rest as text. */
function fillNodes(target: HTMLElement, template: string, values: Readonly<Record<string, string | Node>>): void {
  target.textContent = '';
  for (const piece of template.split(/(\{\w+\})/)) {
    const value = /^\{\w+\}$/.test(piece) ? values[piece.slice(1, -1)] : undefined;
    target.append(value === undefined ? piece : value);
  }
}

const EMAIL = /[^\s,;<>()]+@[^\s,;<>()]+\.[a-z]{2,}/i;

/** A postal text with its e-mail address as a mailto link (the authority's address is one string). */
function withMailLink(target: HTMLElement, text: string): void {
  const match = EMAIL.exec(text);
  target.textContent = '';
  if (!match) {
    target.textContent = text;
    return;
  }
  const link = el('a', match[0], { href: `mailto:${match[0]}` });
  target.append(text.slice(0, match.index), link, text.slice(match.index + match[0].length));
}

function granted(me: Me): readonly string[] {
  const consent = me.subject.consent;
  return consent && !consent.withdrawn ? consent.granted : [];
}

function renderPurposes(me: Me, t: PageTexts, lang: Lang): void {
  const list = $('purposes');
  list.textContent = '';
  for (const purpose of me.purposes) {
    const item = el('li', '', { 'data-purpose': purpose.id });
    const titleId = `purpose-${purpose.id}`;
    const reason = named(t.reasons, purpose.notProcessedBecause ?? '');
    item.append(
      policyText('h3', purpose.title, lang, { id: titleId }),
      el('p', fill(t.basisLabel, { basis: named(t.bases, purpose.basis) }), { class: 'basis' }),
      policyText('p', purpose.description, lang),
      el('p', purpose.processed ? t.processed : fill(t.notProcessed, { reason }), { class: 'state', 'data-state-for': purpose.id }),
    );
    // Consent is given or withdrawn per purpose (Art. 7(3)); objection is to a purpose based on
    // legitimate interest (Art. 21). Contract and legal obligation allow neither.
    if (purpose.basis === 'consent') {
      const text = granted(me).indexOf(purpose.id) >= 0 ? t.withdrawConsent : t.giveConsent;
      item.append(el('button', text, { type: 'button', 'data-consent-for': purpose.id, 'aria-describedby': titleId }));
    } else if (purpose.basis === 'legitimate_interest') {
      const text = me.subject.objected.indexOf(purpose.id) >= 0 ? t.liftObjection : t.object;
      item.append(el('button', text, { type: 'button', 'data-object-for': purpose.id, 'aria-describedby': titleId }));
    }
    list.append(item);
  }
}

function heldValue(t: PageTexts, label: string, value: string | null, corrected: boolean): string {
  const shown = value === null ? t.unknown : corrected ? fill(t.correctedMark, { value }) : value;
  return fill(t.heldValue, { label, value: shown });
}

function renderHeld(me: Me, t: PageTexts, lang: Lang): void {
  const { subject } = me;
  $('events-count').textContent = plural(lang, t.events, me.events.length);
  $('sessions-count').textContent = plural(lang, t.sessions, me.sessions.length);
  // The answer lists the access request it answers (rights/subject-rights.ts logs it first):
  // the others are the earlier ones.
  $('requests-count').textContent = plural(lang, t.requests, Math.max(0, me.rightsRequests.length - 1));
  $('tz-held').textContent = heldValue(t, t.timeZone, subject.timeZone, subject.corrected.indexOf('tz') >= 0);
  const device = subject.deviceClass === null ? null : named(t.devices, subject.deviceClass);
  $('device-held').textContent = heldValue(t, t.deviceClass, device, subject.corrected.indexOf('device') >= 0);
  // The token in use is one of them; the others are other devices or links.
  const others = Math.max(0, me.subjectTokens.length - 1);
  $('tokens-count').textContent = plural(lang, t.tokens, others);
  $('revoke').hidden = others === 0;
}

/** The device names in the reader's language; the chosen values stay as the reader left them. */
function labelDeviceOptions(t: PageTexts): void {
  for (const option of Array.from($<HTMLSelectElement>('device').options)) {
    option.textContent = option.value === '' ? t.unknown : named(t.devices, option.value);
  }
  const unknownZone = $<HTMLSelectElement>('tz').querySelector('option[value=""]');
  if (unknownZone) unknownZone.textContent = t.unknown;
}

function renderHold(me: Me, t: PageTexts, lang: Lang): void {
  const hold = me.subject.legalHold;
  $('hold').hidden = hold === null;
  if (hold === null) return;
  $('hold-text').textContent = fill(t.holdText, { ground: named(t.holdGrounds, hold.ground), reason: hold.reason });
  $('hold-until').textContent = hold.until === null ? t.holdOpen : fill(t.holdUntil, { date: instant(lang, hold.until) });
}

function renderKnowledge(me: Me, t: PageTexts, lang: Lang): void {
  const rights = $('rights');
  rights.textContent = '';
  for (const right of me.rights) {
    const item = el('li', '', { 'data-right': right.right });
    fillNodes(item, t.rightLine, { right: el('strong', named(t.rights, right.right)), article: right.article, how: policyText('span', right.how, lang) });
    rights.append(item);
  }
  $('complaint-text').textContent = fill(t.complaintText, { article: me.complaint.article });
  withMailLink($('complaint'), me.complaint.authority);

  const rows = $('retention');
  rows.textContent = '';
  for (const entry of me.retention) {
    const row = el('tr', '', { 'data-class': entry.dataClass });
    row.append(el('th', named(t.classes, entry.dataClass), { scope: 'row' }), policyText('td', entry.what, lang), el('td', duration(lang, entry.period)));
    rows.append(row);
  }
  $('kept-longer').replaceWith(policyText('p', me.keptLonger, lang, { id: 'kept-longer', class: 'note' }));

  const { controller } = me;
  fillNodes($('controller'), t.controller, { name: controller.name, address: controller.address, contact: el('a', controller.contact, { href: `mailto:${controller.contact}` }) });
  $('source').replaceWith(policyText('p', me.source, lang, { id: 'source' }));
  const recipients = $('recipients');
  recipients.textContent = '';
  for (const recipient of me.recipients) recipients.append(el('li', recipient));
  $('automated').replaceWith(policyText('p', me.automatedDecisions.statement, lang, { id: 'automated' }));

  $('policy').textContent = fill(t.policyText, { version: me.policy.version, date: calendarDate(lang, me.policy.effectiveDate) });
  // The answer links the exact wording it was given under (its project's archive, pinned by hash).
  $('policy-link').setAttribute('href', me.policy.text);
}

/** Draws everything the answer says, in `lang`. */
export function render(me: Me, t: PageTexts, lang: Lang): void {
  $('heading').textContent = fill(t.heading, { controller: me.controller.name });
  document.title = fill(t.documentTitle, { controller: me.controller.name });
  renderHold(me, t, lang);
  renderPurposes(me, t, lang);
  renderHeld(me, t, lang);
  labelDeviceOptions(t);
  $('restrict').textContent = me.subject.restricted ? t.liftRestriction : t.restrict;
  renderKnowledge(me, t, lang);
  $('content').hidden = false;
}

/**
 * Puts the held values into the correction form: after each answer, not on a language
 * switch, so a choice the reader is making survives the switch.
 */
export function fillRectifyForm(me: Me, t: PageTexts, devices: readonly string[]): void {
  const zones = $<HTMLSelectElement>('tz');
  if (zones.options.length === 0) {
    // Every zone this browser knows (IANA names are the same in every language).
    for (const zone of Intl.supportedValuesOf('timeZone')) zones.append(el('option', zone, { value: zone }));
  }
  const held = me.subject.timeZone;
  if (held !== null && !Array.from(zones.options).some((option) => option.value === held)) zones.prepend(el('option', held, { value: held }));
  if (held === null && !zones.querySelector('option[value=""]')) zones.prepend(el('option', t.unknown, { value: '' }));
  zones.value = held ?? '';

  const device = $<HTMLSelectElement>('device');
  device.textContent = '';
  if (me.subject.deviceClass === null) device.append(el('option', t.unknown, { value: '' }));
  for (const value of devices) device.append(el('option', named(t.devices, value), { value }));
  device.value = me.subject.deviceClass ?? '';
}
