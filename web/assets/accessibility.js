// « Déclaration d'accessibilité »: the page's RGAA accessibility statement (#/accessibilite),
// readable without signing in, linked from every screen's footer as the RGAA requires. Its
// facts (what is tested, with which tools, what is known not to comply) are those of
// docs/accessibility.md; change both together.
import { h, fill } from './dom.js';

const RGAA_VERSION = '4.1.2';
const STATEMENT_DATE = '30 novembre 2026';

// The screens the browser tests check with axe-core, and the states they check them in.
const AUDITED_SCREENS = [
  'Connexion (formulaire, clé refusée)',
  'Besoins (liste, filtres, pagination, rapports en retard)',
  "Un besoin (fiche, liste courte expliquée, pondérations modifiées, décision, mission)",
  'Nouveau besoin (formulaire vide, erreurs sous les champs, partenaire reconnu)',
  'Affectation par lot (période choisie, plan proposé)',
  'Propositions (liste par statut, formulaire de proposition, refus par un filtre)',
  'Espace collectivité (propositions à traiter et passées, missions, labels, rapport de mission)',
  'Capitalisation (recherche dans les rapports, lecture et évaluation d’un rapport)',
  'Candidatures (liste par statut, une candidature, examen, demande de compléments, décision)',
  'Demander un label (formulaire, erreurs, liste officielle des collectivités)',
  'Labels à renouveler',
  'Couverture (carte, tableaux par pays et par région)',
  "Paramètres d'affichage (thème clair et sombre)",
  "Déclaration d'accessibilité",
];

const KNOWN_ISSUES = [
  "La carte du monde de l'écran « Couverture » n'est pas utilisable au clavier ni lisible par un lecteur d'écran pays par pays ; les mêmes chiffres sont donnés dans les tableaux qui la suivent (critère 1.1, alternative par un contenu équivalent).",
  "Les barres de score empilées distinguent les critères par la couleur ; chaque barre a une alternative textuelle qui énonce la contribution de chaque critère, et la légende nomme les couleurs (critère 3.1).",
  "Les documents déposés par les collectivités (rapports de mission, pièces des candidatures, en PDF) ne sont pas contrôlés : leur accessibilité relève de leurs auteurs.",
  "Aucun lecteur d'écran (NVDA, JAWS, VoiceOver, Orca) n'a été utilisé pour vérifier les annonces ; elles sont vérifiées par les tests à partir des attributs ARIA.",
  "Les contrôles automatiques ne couvrent qu'une partie des 106 critères du RGAA ; les autres (pertinence des alternatives, des titres, des intitulés de liens, ordre de lecture hors parcours testé) n'ont pas été évalués par un auditeur.",
];

export function renderAccessibility(main) {
  const section = (title, ...content) => h('section', { class: 'fr-mb-4w' }, h('h2', {}, title), content);
  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, "Déclaration d'accessibilité")),
    h('p', {}, "La Délégation pour l'action extérieure des collectivités territoriales (DAECT), au ministère de l'Europe et des Affaires étrangères, s'engage à rendre ses services numériques accessibles, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005."),
    h('p', {}, `Cette déclaration d'accessibilité s'applique au service EXPE-CT Match (l'application web servie par « expectmatch serve »).`),
    section('État de conformité',
      h('p', {}, h('strong', {}, 'EXPE-CT Match est non conforme'), ` avec le référentiel général d'amélioration de l'accessibilité (RGAA), version ${RGAA_VERSION} : aucun audit de conformité couvrant l'ensemble des critères n'a encore été réalisé. Les vérifications décrites ci-dessous sont exécutées à chaque modification du service ; elles ne remplacent pas un audit.`)),
    section('Résultats des tests',
      h('p', {}, "Aucun taux de conformité ne peut être publié sans audit. À chaque modification, les tests automatisés du service vérifient :"),
      h('ul', {},
        h('li', {}, "avec axe-core 4.14.1 (règles WCAG 2.1 niveaux A et AA, sur lesquelles s'appuient les critères du RGAA vérifiables automatiquement), chaque écran ci-dessous dans chacun des états parcourus : aucune non-conformité d'impact « grave » ou « critique » n'est admise ;"),
        h('li', {}, "un parcours complet au clavier seul (ouvrir un besoin, modifier une pondération, choisir une collectivité, enregistrer la mission) : le focus est visible à chaque étape et suit l'ordre de lecture ;"),
        h('li', {}, 'un affichage à 200 % : aucun défilement horizontal, chaque commande reste visible et utilisable ;'),
        h('li', {}, 'les annonces des zones mises à jour (classement recalculé, action enregistrée) par des régions aria-live ;'),
        h('li', {}, "les alternatives textuelles des barres de score et l'association de chaque message d'erreur à son champ.")),
      h('h3', {}, 'Écrans vérifiés'),
      h('ul', {}, AUDITED_SCREENS.map((screen) => h('li', {}, screen)))),
    section('Contenus non accessibles',
      h('h3', {}, 'Non-conformités connues'),
      h('ul', {}, KNOWN_ISSUES.map((issue) => h('li', {}, issue))),
      h('h3', {}, 'Dérogations pour charge disproportionnée'),
      h('p', {}, 'Aucune.'),
      h('h3', {}, 'Contenus non soumis à l’obligation d’accessibilité'),
      h('p', {}, 'Les documents bureautiques déposés par les collectivités (rapports et pièces justificatives).')),
    section('Établissement de cette déclaration',
      h('p', {}, `Cette déclaration a été établie le ${STATEMENT_DATE}.`),
      h('h3', {}, 'Technologies utilisées'),
      h('ul', {}, ['HTML5', 'CSS', 'JavaScript (modules ES)', 'WAI-ARIA', "Système de design de l'État (DSFR) 1.15.3"].map((item) => h('li', {}, item))),
      h('h3', {}, 'Environnement de test'),
      h('p', {}, 'Chromium (Debian 12) sans interface, piloté par Playwright, aux tailles 1366 × 900, 390 × 844 et 200 % de 1366 × 900 ; thèmes clair et sombre.'),
      h('h3', {}, 'Outils pour évaluer l’accessibilité'),
      h('ul', {}, ['axe-core 4.14.1', 'Playwright (parcours au clavier, zoom, captures)', 'Contrôle des contrastes des couleurs propres au service (score, carte) à partir des jetons de couleur du DSFR'].map((item) => h('li', {}, item)))),
    section('Retour d’information et contact',
      h('p', {}, "Si vous n'arrivez pas à accéder à un contenu ou à un service, signalez-le à la DAECT, par l'adresse de messagerie ou le correspondant qui vous a remis votre clé d'accès, pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.")),
    section('Voies de recours',
      h('p', {}, "Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une fonctionnalité du service, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits :"),
      h('ul', {},
        h('li', {}, 'par le formulaire en ligne du Défenseur des droits (defenseurdesdroits.fr) ;'),
        h('li', {}, 'en contactant le délégué du Défenseur des droits dans votre région ;'),
        h('li', {}, 'par courrier (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.'))));
}
