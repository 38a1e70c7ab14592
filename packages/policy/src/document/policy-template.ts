/**
 * A starting policy document for a new controller (`heed policy init`): Heed's purposes,
 * retention and limits with neutral texts, and placeholders the controller must replace for
 * everything that is theirs (name, address, registration, contact, supervisory authority,
 * recipients). Nothing of the built-in policy's company is left in it.
 */
import type { PolicyDocument } from './schema.js';
import { DEFAULT_POLICY } from './default-policy.js';

/** What `heed policy check` warns about while it is still in a document. */
export const TEMPLATE_PLACEHOLDER = 'REPLACE:';

/**
 * @example policyTemplate('2027-01-15').version // '2027-01-15'
 */
export function policyTemplate(today: string): PolicyDocument {
  const fill = (what: string) => `${TEMPLATE_PLACEHOLDER} ${what}`;
  return {
    version: today,
    // A first version: everyone decides under it.
    substantial: true,
    effectiveDate: today,
    changeSummary: { nl: 'Eerste versie.', en: 'First version.', fr: 'Première version.' },
    history: [],
    controller: {
      name: fill('the controller\'s legal name'),
      address: fill('the controller\'s address'),
      registration: fill('the company registration number'),
      contact: 'privacy@example.com',
      supervisoryAuthority: fill('the supervisory authority\'s name, address and e-mail'),
    },
    purposes: [
      {
        id: 'statistics',
        basis: 'consent',
        usageTracking: true,
        title: { nl: 'Gebruiksstatistieken', en: 'Usage statistics', fr: 'Statistiques d\'utilisation' },
        description: {
          nl: 'Wanneer en hoe lang het platform gebruikt wordt en welke functies, enkel met uw toestemming.',
          en: 'When and how long the platform is used and which features, only with your consent.',
          fr: 'Quand et combien de temps la plateforme est utilisée, et quelles fonctions, uniquement avec votre consentement.',
        },
        dataCategories: ['usage timing (sessions, active time)', 'feature use', 'device class', 'time zone'],
      },
      {
        id: 'update_timing',
        basis: 'legitimate_interest',
        usageTracking: true,
        title: { nl: 'Timing van updates en onderhoud', en: 'Timing of updates and maintenance', fr: 'Calendrier des mises à jour et de la maintenance' },
        description: {
          nl: 'Updates en onderhoud plannen op momenten waarop het platform weinig gebruikt wordt. U kunt hiertegen bezwaar maken.',
          en: 'Planning updates and maintenance for when the platform is used least. You may object to it.',
          fr: 'Planifier les mises à jour et la maintenance quand la plateforme est le moins utilisée. Vous pouvez vous y opposer.',
        },
        dataCategories: ['usage timing (sessions, active time)', 'time zone'],
      },
    ],
    recipients: [fill('who receives the data, e.g. the hosting provider acting as processor')],
    securityMeasures: DEFAULT_POLICY.securityMeasures,
    retention: DEFAULT_POLICY.retention,
    kAnonymity: DEFAULT_POLICY.kAnonymity,
    limits: DEFAULT_POLICY.limits,
  };
}

/**
 * The dotted paths of the template's placeholders still in a document.
 *
 * @example placeholdersIn(policyTemplate('2027-01-15')) // ['controller.name', ...]
 */
export function placeholdersIn(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.startsWith(TEMPLATE_PLACEHOLDER) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => placeholdersIn(item, path ? `${path}.${index}` : String(index)));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => placeholdersIn(item, path ? `${path}.${key}` : key));
  return [];
}
