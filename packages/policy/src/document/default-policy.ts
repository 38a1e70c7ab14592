/**
 * The built-in policy, derived from the platform's privacy policy (privacy-policy.nl.txt,
 * CloudPiling BV). The text lists its purposes without retention periods ("zolang
 * noodzakelijk", clause 5), so the periods below are Heed's reading of "as long as necessary"
 * for each data class, each with its reason.
 */
import type { PolicyDocument } from './schema.js';

/**
 * Why each retention period:
 * - rawEvents P30D: raw events only feed the aggregates (built on arrival) and answer access
 *   requests; a month covers late offline batches and re-checks, and nothing needs them longer.
 * - activity P12W: per-session and per-subject rows are pseudonymous but still personal data.
 *   They are kept twelve weeks because the update-window advice and the heatmap need distinct
 *   users over the last 8 to 12 weeks (k-anonymity across a window's weeks); nothing longer.
 * - aggregates P25M: k-anonymised counts; two years plus a month lets staff compare a month
 *   with the same month a year earlier when planning updates.
 * - consentProof P5Y: Art. 7(1) requires proof of consent; it is kept five years after the
 *   last change so a complaint within the usual limitation periods can be answered. Confirm
 *   the period with counsel for the controller's jurisdiction.
 * - rightsRequests P5Y: the log of requests and their answers is the controller's proof of
 *   Art. 12 compliance, kept as long as the consent proof.
 */
export const DEFAULT_POLICY: PolicyDocument = {
  version: '2026-11-01',
  substantial: false,
  effectiveDate: '2026-11-01',
  changeSummary: {
    nl: 'Eerste versie van het beleid zoals Heed het toepast.',
    en: 'First version of the policy as Heed applies it.',
    fr: 'Première version de la politique telle que Heed l\'applique.',
  },
  history: [],
  controller: {
    name: 'CloudPiling BV',
    address: 'Snoekstraat 28B, 8421 Vlissegem, België',
    registration: '0746.725.497, RPR Gent afdeling Brugge',
    contact: 'info@cloudpiling.com',
    supervisoryAuthority: 'Gegevensbeschermingsautoriteit, Drukpersstraat 35, 1000 Brussel, contact@apd-gba.be',
  },
  purposes: [
    {
      id: 'statistics',
      basis: 'consent',
      usageTracking: true,
      title: { nl: 'Statistische doeleinden', en: 'Statistics', fr: 'Finalités statistiques' },
      description: {
        nl: 'Gebruiksstatistieken: wanneer en hoe lang het platform gebruikt wordt en welke functies, enkel met uw toestemming.',
        en: 'Usage statistics: when and how long the platform is used and which features, only with your consent.',
        fr: 'Statistiques d\'utilisation : quand et combien de temps la plateforme est utilisée, et quelles fonctions, uniquement avec votre consentement.',
      },
      dataCategories: ['usage timing (sessions, active time)', 'feature use', 'device class', 'time zone'],
    },
    {
      id: 'update_timing',
      basis: 'legitimate_interest',
      usageTracking: true,
      title: {
        nl: 'Optimalisatie van het platform en het onderhouds- en updatebeleid',
        en: 'Platform optimisation and the timing of updates and maintenance',
        fr: 'Optimisation de la plateforme et calendrier des mises à jour et de la maintenance',
      },
      description: {
        nl: 'Het optimaliseren van het platform en het daarop geënte onderhouds- en updatebeleid, waaronder timing en frequentie van updates en onderhoud (clausule 2). U kunt hiertegen bezwaar maken.',
        en: 'Optimising the platform and its maintenance and update policy, including the timing and frequency of updates and maintenance (clause 2). You may object to it.',
        fr: 'L\'optimisation de la plateforme et de sa politique de maintenance et de mises à jour, y compris le moment et la fréquence des mises à jour et de la maintenance (clause 2). Vous pouvez vous y opposer.',
      },
      dataCategories: ['usage timing (sessions, active time)', 'time zone'],
    },
    {
      id: 'marketing',
      basis: 'consent',
      usageTracking: false,
      title: { nl: 'Marketingdoeleinden', en: 'Marketing', fr: 'Finalités de marketing' },
      description: {
        nl: 'Marketing en nieuwsbrieven, enkel met uw toestemming. Automatische gebruiksmeting voedt dit doel nooit.',
        en: 'Marketing and newsletters, only with your consent. Automatic usage tracking never feeds this purpose.',
        fr: 'Marketing et lettres d\'information, uniquement avec votre consentement. La mesure automatique de l\'utilisation n\'alimente jamais cette finalité.',
      },
      dataCategories: ['contact details'],
    },
  ],
  recipients: ['IT service providers acting as processors (hosting)', 'no sale or transfer to third parties for commercial purposes'],
  securityMeasures: [
    'identifiers hashed on the device (SHA-256) and pseudonymised on the server with a keyed HMAC whose key is kept apart from the database',
    'no IP address stored; user agent reduced to a coarse device class',
    'secret keys stored only as hashes and compared in constant time',
    'consent ledger chained by an HMAC under a key kept apart from the database, each entry naming who decided and how they were authenticated, so tampering is detectable',
    'identity verification: decisions and events for an identified user need an assertion signed by the platform for its logged-in user; anonymous subjects are recognised by the server, not by the client',
    'statistics k-anonymised: no figure from fewer than k distinct subjects',
  ],
  retention: {
    rawEvents: 'P30D',
    activity: 'P12W',
    aggregates: 'P25M',
    consentProof: 'P5Y',
    rightsRequests: 'P5Y',
  },
  kAnonymity: 5,
  limits: {
    maxBodyBytes: 64 * 1024,
    maxEventsPerBatch: 200,
    maxNameLength: 100,
    maxPropsKeys: 20,
    maxPropsDepth: 2,
    maxPropsBytes: 2_048,
    maxStringLength: 256,
    maxFutureSkewMs: 10 * 60_000,
    maxEventAge: 'P7D',
  },
};
