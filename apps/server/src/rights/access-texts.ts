/**
 * What the access answer (Art. 15) says that is Heed's, not the controller's: the rights and
 * how to use them, where the data comes from, that no automated decision is made, and what each
 * data class is. In Dutch, French and English (the policy's own texts come from the policy).
 */
import type { DataClass, Localized } from '@heed/policy';

type Texts = Required<Localized>;

/** The subject's rights (Art. 15(1)(e), (f); Art. 16 to 21; Art. 7(3); Art. 77), each with how to use it here. */
export const RIGHT_TEXTS: readonly { readonly right: string; readonly article: string; readonly how: Texts }[] = [
  {
    right: 'access', article: 'Art. 15',
    how: { en: 'This answer; the privacy page shows it and downloads it.', nl: 'Dit antwoord; de privacypagina toont het en laat het downloaden.', fr: 'Cette réponse ; la page de confidentialité l\'affiche et la télécharge.' },
  },
  {
    right: 'portability', article: 'Art. 20',
    how: { en: 'The same data as CSV files in a zip, from the privacy page or GET /v1/me?format=csv.', nl: 'Dezelfde gegevens als CSV-bestanden in een zip, via de privacypagina of GET /v1/me?format=csv.', fr: 'Les mêmes données en fichiers CSV dans un zip, via la page de confidentialité ou GET /v1/me?format=csv.' },
  },
  {
    right: 'rectification', article: 'Art. 16',
    how: { en: 'Correct your time zone or device class on the privacy page; later visits do not undo it.', nl: 'Verbeter uw tijdzone of apparaattype op de privacypagina; latere bezoeken maken dat niet ongedaan.', fr: 'Corrigez votre fuseau horaire ou votre type d\'appareil sur la page de confidentialité ; les visites suivantes ne l\'annulent pas.' },
  },
  {
    right: 'erasure', article: 'Art. 17',
    how: { en: 'Erase everything on the privacy page; refused only under a legal hold, whose ground is shown.', nl: 'Wis alles op de privacypagina; enkel geweigerd bij een wettelijke bewaring, waarvan de grond getoond wordt.', fr: 'Effacez tout sur la page de confidentialité ; refusé uniquement sous une conservation légale, dont le motif est affiché.' },
  },
  {
    right: 'restriction', article: 'Art. 18',
    how: { en: 'Restrict processing on the privacy page: nothing new is collected, what is held is kept but counts nowhere.', nl: 'Beperk de verwerking op de privacypagina: er wordt niets nieuws verzameld, wat bewaard is blijft bewaard maar telt nergens mee.', fr: 'Limitez le traitement sur la page de confidentialité : rien de nouveau n\'est collecté, ce qui est conservé ne compte nulle part.' },
  },
  {
    right: 'objection', article: 'Art. 21',
    how: { en: 'Object to each purpose based on legitimate interest on the privacy page; it stays until you lift it.', nl: 'Maak bezwaar tegen elk doel op grond van gerechtvaardigd belang op de privacypagina; het blijft tot u het opheft.', fr: 'Opposez-vous à chaque finalité fondée sur l\'intérêt légitime sur la page de confidentialité ; cela reste jusqu\'à ce que vous le leviez.' },
  },
  {
    right: 'withdrawal', article: 'Art. 7(3)',
    how: { en: 'Withdraw consent on the privacy page or in the platform, as easily as you gave it.', nl: 'Trek uw toestemming in op de privacypagina of in het platform, even eenvoudig als u ze gaf.', fr: 'Retirez votre consentement sur la page de confidentialité ou dans la plateforme, aussi simplement que vous l\'avez donné.' },
  },
  {
    right: 'complaint', article: 'Art. 77',
    how: { en: 'Lodge a complaint with the supervisory authority named in this answer, with its address.', nl: 'Dien een klacht in bij de toezichthoudende autoriteit die dit antwoord noemt, met haar adres.', fr: 'Introduisez une réclamation auprès de l\'autorité de contrôle que cette réponse nomme, avec son adresse.' },
  },
];

/** Art. 15(1)(g): where the data comes from. */
export const SOURCE_TEXT: Texts = {
  en: 'From your own device: the platform\'s Heed SDK records when and how long you use the platform and which features, after your consent, and sends it with a pseudonym, never your user id or IP address.',
  nl: 'Van uw eigen apparaat: de Heed-SDK van het platform registreert, na uw toestemming, wanneer en hoe lang u het platform gebruikt en welke functies, en verstuurt dat met een pseudoniem, nooit uw gebruikers-id of IP-adres.',
  fr: 'De votre propre appareil : le SDK Heed de la plateforme enregistre, après votre consentement, quand et combien de temps vous utilisez la plateforme et quelles fonctions, et l\'envoie sous un pseudonyme, jamais votre identifiant ni votre adresse IP.',
};

/** Art. 15(1)(h): automated decision-making, including profiling (Art. 22). */
export const AUTOMATED_DECISIONS_TEXT: Texts = {
  en: 'No decision about you is made by automated means, and no profile of you is built: the data only feeds counts that show no fewer than k people.',
  nl: 'Er wordt geen beslissing over u genomen met geautomatiseerde middelen en er wordt geen profiel van u opgesteld: de gegevens voeden enkel tellingen die nooit minder dan k personen tonen.',
  fr: 'Aucune décision vous concernant n\'est prise par des moyens automatisés et aucun profil n\'est établi : les données n\'alimentent que des comptages qui ne montrent jamais moins de k personnes.',
};

/** What each data class of the policy's retention is (Art. 15(1)(d)). */
export const DATA_CLASS_TEXTS: Readonly<Record<DataClass, Texts>> = {
  rawEvents: { en: 'Your events as sent (sessions, active time, features used).', nl: 'Uw gebeurtenissen zoals verstuurd (sessies, actieve tijd, gebruikte functies).', fr: 'Vos événements tels qu\'envoyés (sessions, temps actif, fonctions utilisées).' },
  activity: { en: 'Your sessions and the hours and days you were active, and this record of you.', nl: 'Uw sessies en de uren en dagen waarop u actief was, en dit overzicht van u.', fr: 'Vos sessions et les heures et jours où vous étiez actif, et cette fiche.' },
  aggregates: { en: 'Counts of many people, with no identifier: not data about you.', nl: 'Tellingen van veel personen, zonder identificatie: geen gegevens over u.', fr: 'Des comptages de nombreuses personnes, sans identifiant : pas des données vous concernant.' },
  consentProof: { en: 'The proof of your decisions (the consent ledger).', nl: 'Het bewijs van uw beslissingen (het toestemmingsregister).', fr: 'La preuve de vos décisions (le registre des consentements).' },
  rightsRequests: { en: 'The log of your requests and how they were answered.', nl: 'Het logboek van uw verzoeken en hoe ze beantwoord werden.', fr: 'Le journal de vos demandes et de leurs réponses.' },
};

/** Why data is kept past its period (Art. 18, Art. 17(3)). */
export const KEPT_LONGER_TEXT: Texts = {
  en: 'While processing is restricted, or under a legal hold, your data is kept whatever its age, and counts in nothing; the usual period applies again once the restriction is lifted or the hold ends.',
  nl: 'Zolang de verwerking beperkt is of onder een wettelijke bewaring valt, worden uw gegevens bewaard ongeacht hun ouderdom en tellen ze nergens mee; de gewone termijn geldt opnieuw zodra de beperking opgeheven is of de bewaring eindigt.',
  fr: 'Tant que le traitement est limité, ou sous une conservation légale, vos données sont conservées quel que soit leur âge et ne comptent nulle part ; la durée habituelle s\'applique à nouveau dès la levée de la limitation ou la fin de la conservation.',
};
