/**
 * The privacy page's languages and the small pieces that turn texts into sentences: the
 * language a browser asks for, the policy's own texts with their fallback, plural forms by
 * the language's rules, retention periods and dates in words. Pure functions over `Intl`,
 * so the same code names "1 earlier request" and "2 eerdere verzoeken".
 */
import { EN, type PageTexts, type PluralTexts } from './privacy-texts-en.browser.js';
import { FR } from './privacy-texts-fr.browser.js';
import { NL } from './privacy-texts-nl.browser.js';

/** The page's languages: the policy is Dutch, the users are in Belgium, staff read English. */
export const LANGUAGES = ['nl', 'fr', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

export const TEXTS: Readonly<Record<Lang, PageTexts>> = { nl: NL, fr: FR, en: EN };

/**
 * The locale numbers and dates are written in: Belgian Dutch and French, and British English
 * for the English page ("1 November 2026", not the American "November 1, 2026").
 */
const FORMAT_LOCALE: Readonly<Record<Lang, string>> = { nl: 'nl-BE', fr: 'fr-BE', en: 'en-GB' };

export function isLang(value: string | null): value is Lang {
  return value === 'nl' || value === 'fr' || value === 'en';
}

/**
 * The first of the browser's languages the page has, by primary subtag (nl-BE is nl,
 * fr-BE is fr); English when none is (a German reader gets the fallback the policy has too).
 *
 * @example pickLanguage(['de-BE', 'fr-BE', 'nl']) // 'fr'
 */
export function pickLanguage(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    if (isLang(primary)) return primary;
  }
  return 'en';
}

/** A text in the policy's languages (`{ nl, en, fr? }`): French is optional there. */
export interface Localized {
  readonly nl: string;
  readonly en: string;
  readonly fr?: string;
}

/**
 * The text in `lang`, or English where the policy has none, with the language it is in, so
 * the page can mark a fallback with its own `lang` (a screen reader then reads it as English).
 */
export function localized(text: Localized, lang: Lang): { readonly text: string; readonly lang: Lang } {
  const own = text[lang];
  return own === undefined ? { text: text.en, lang: 'en' } : { text: own, lang };
}

/** A name from one of the texts' tables, or the key itself for a value the page does not know yet. */
export function named(table: Readonly<Record<string, string>>, key: string): string {
  return table[key] ?? key;
}

/**
 * Fills `{name}` placeholders.
 *
 * @example fill('Your privacy at {controller}', { controller: 'CloudPiling BV' })
 */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * The plural form `n` takes in `lang` (CLDR rules: French counts 0 as singular), with `n`
 * written as the language writes numbers.
 *
 * @example plural('en', EN.requests, 1) // '1 earlier request'
 */
export function plural(lang: Lang, forms: PluralTexts, n: number): string {
  const form = new Intl.PluralRules(lang).select(n) === 'one' ? forms.one : forms.other;
  return fill(form, { n: new Intl.NumberFormat(FORMAT_LOCALE[lang]).format(n) });
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;

/**
 * An ISO 8601 retention period in words; weeks stay weeks (the policy says P12W, so the page
 * says 12 weeks). A period the pattern does not know is shown as written.
 *
 * @example duration('nl', 'P5Y') // '5 jaar'
 */
export function duration(lang: Lang, period: string): string {
  const match = DURATION.exec(period);
  if (!match) return period;
  const parts = UNITS.flatMap((unit, index) => {
    const count = Number(match[index + 1] ?? '0');
    return count > 0 ? [plural(lang, TEXTS[lang].units[unit], count)] : [];
  });
  return parts.length === 0 ? period : new Intl.ListFormat(FORMAT_LOCALE[lang], { style: 'long', type: 'conjunction' }).format(parts);
}

/**
 * A calendar date (`2026-11-01`) in words. Read in UTC: a date has no time zone, and the
 * reader's own zone would move it a day for half the world.
 *
 * @example calendarDate('fr', '2026-11-01') // '1 novembre 2026'
 */
export function calendarDate(lang: Lang, date: string): string {
  return new Intl.DateTimeFormat(FORMAT_LOCALE[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** An instant (ISO 8601) as a date and time in the reader's zone: when a hold ends. */
export function instant(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(FORMAT_LOCALE[lang], { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}
