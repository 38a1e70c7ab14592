/**
 * The banner's own words in Dutch, French and English. Purpose titles and descriptions come
 * from the policy document (`/v1/policy`), which carries Dutch and English: French falls back
 * to English for those.
 */
import type { LegalBasis } from '@heed/policy';

export const LANGUAGES = ['nl', 'fr', 'en'] as const;
export type BannerLanguage = (typeof LANGUAGES)[number];

export interface BannerTexts {
  readonly title: string;
  readonly intro: string;
  /** Shown when a substantial change superseded the user's earlier choice. */
  readonly changed: string;
  readonly privacyPage: string;
  readonly reject: string;
  readonly accept: string;
  readonly choose: string;
  readonly save: string;
  readonly purposes: string;
  readonly language: string;
  /** The switch of a legitimate-interest purpose. */
  readonly object: string;
  readonly bases: Readonly<Record<LegalBasis, string>>;
}

export const TEXTS: Readonly<Record<BannerLanguage, BannerTexts>> = {
  en: {
    title: 'Your privacy',
    intro: 'With your consent we measure when and how long this platform is used and which features, to improve it and to plan updates. You can change your choice at any time.',
    changed: 'Our privacy policy has changed. Please choose again.',
    privacyPage: 'Privacy page',
    reject: 'Reject all',
    accept: 'Accept all',
    choose: 'Choose per purpose',
    save: 'Save my choices',
    purposes: 'Purposes',
    language: 'Language',
    object: 'I object',
    bases: {
      consent: 'Only with your consent.',
      legitimate_interest: 'Legitimate interest: on unless you object.',
      contract: 'Needed for the contract.',
      legal_obligation: 'Required by law.',
    },
  },
  nl: {
    title: 'Uw privacy',
    intro: 'Met uw toestemming meten we wanneer en hoe lang dit platform gebruikt wordt en welke functies, om het te verbeteren en updates te plannen. U kunt uw keuze altijd wijzigen.',
    changed: 'Ons privacybeleid is gewijzigd. Maak opnieuw uw keuze.',
    privacyPage: 'Privacypagina',
    reject: 'Alles weigeren',
    accept: 'Alles accepteren',
    choose: 'Per doel kiezen',
    save: 'Mijn keuze bewaren',
    purposes: 'Doeleinden',
    language: 'Taal',
    object: 'Ik maak bezwaar',
    bases: {
      consent: 'Enkel met uw toestemming.',
      legitimate_interest: 'Gerechtvaardigd belang: aan, tenzij u bezwaar maakt.',
      contract: 'Nodig voor de overeenkomst.',
      legal_obligation: 'Wettelijk verplicht.',
    },
  },
  fr: {
    title: 'Votre vie privée',
    intro: "Avec votre consentement, nous mesurons quand et combien de temps cette plateforme est utilisée et quelles fonctions, pour l'améliorer et planifier les mises à jour. Vous pouvez modifier votre choix à tout moment.",
    changed: 'Notre politique de confidentialité a changé. Veuillez choisir à nouveau.',
    privacyPage: 'Page de confidentialité',
    reject: 'Tout refuser',
    accept: 'Tout accepter',
    choose: 'Choisir par finalité',
    save: 'Enregistrer mes choix',
    purposes: 'Finalités',
    language: 'Langue',
    object: "Je m'oppose",
    bases: {
      consent: 'Uniquement avec votre consentement.',
      legitimate_interest: "Intérêt légitime : actif sauf si vous vous y opposez.",
      contract: 'Nécessaire au contrat.',
      legal_obligation: 'Obligation légale.',
    },
  },
};

/**
 * The first of the browser's languages the banner speaks, else English.
 *
 * @example pickLanguage(['fr-BE', 'nl']) // 'fr'
 */
export function pickLanguage(preferred: readonly string[] | undefined): BannerLanguage {
  for (const tag of preferred ?? []) {
    const base = tag.toLowerCase().split('-')[0] as BannerLanguage;
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}
