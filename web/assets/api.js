// The client of the EXPE-CT Match API (same origin), and the translation of its problem
// documents (RFC 9457, English) into plain French for the page.

// The names the page uses for the fields an error may point at.
const FIELD_LABELS = {
  collectivite: 'Collectivité',
  note: 'Note',
  start: 'Début de mission',
  end: 'Fin de mission',
  report_delivered: 'Remise du rapport',
  rating: 'Note du partenaire',
  weights: 'Poids',
  'weights/thematic': 'Poids « Adéquation thématique »',
  'weights/country_presence': 'Poids « Présence dans le pays »',
  'weights/partner_history': 'Poids « Historique avec le partenaire »',
  'weights/track_record': 'Poids « Expérience des missions »',
  'weights/language': 'Poids « Langues de travail »',
  'weights/availability': 'Poids « Disponibilité »',
  description: 'Description',
  profile: 'Profil',
  profile_version: 'Version du profil',
  name: 'Nom',
  need_id: 'Besoin',
  k: 'Nombre de candidats',
  period_from: 'Début de la période',
  period_to: 'Fin de la période',
  needs: 'Besoins',
  alternates: 'Suppléants',
  fairness_floor: "Plancher d'équité",
  status: 'Statut',
  Authorization: "Clé d'API",
  'Content-Type': 'Type de contenu',
  id: 'Identifiant',
  limit: 'Taille de page',
  offset: 'Décalage',
  country: 'Pays',
  theme: 'Thème',
  partner: 'Partenaire',
  'partner/name': 'Partenaire',
  'partner/id': 'Partenaire (identifiant)',
  period: 'Période',
  'period/start': 'Début de la période',
  'period/end': 'Fin de la période',
  experts_needed: "Nombre d'experts",
  languages: 'Langues de travail',
  themes: 'Thèmes',
  text: 'Texte',
  q: 'Recherche',
  from: 'Début de la période',
  to: 'Fin de la période',
  message: 'Message',
  respond_by: 'Réponse attendue avant le',
  reason: 'Motif',
  experts: 'Experts',
  resultats: 'Résultats',
  recommandations: 'Recommandations',
  suites_envisagees: 'Suites envisagées',
  daect_rating: 'Note de la DAECT',
  partner_rating: 'Note du partenaire étranger',
  evidence: 'Justification',
  cooperations: 'Coopérations',
  territorial_actions: 'Actions territoriales',
  renews: 'Renouvellement',
  labels: 'Labels',
  decision: 'Décision',
  filename: 'Nom du fichier',
  days: 'Nombre de jours',
};

// English phrases of the API -> French. Tried in order; the first that matches wins.
const PHRASES = [
  [/^required field is missing$|^missing$|^required/, () => 'est obligatoire'],
  [/^must be a number between (\S+) and (\S+)$/, (m) => `doit être un nombre entre ${m[1].replace('.', ',')} et ${m[2].replace('.', ',')}`],
  [/^must be (?:an integer )?between (\S+) and (\S+)$/, (m) => `doit être un entier entre ${m[1]} et ${m[2]}`],
  [/^must be a positive integer$|^expected a positive integer$/, () => 'doit être un entier positif'],
  [/at least one (?:effective )?weight must be positive/, () => 'au moins un poids doit être strictement positif'],
  [/^invalid date|^date invalide|expected a date/, () => "n'est pas une date valide (AAAA-MM-JJ)"],
  [/is before the mission's end/, () => 'est antérieure à la fin de la mission'],
  [/is before start|is before /, () => 'est antérieure à la date de début'],
  [/^no collectivité with this id/, () => "aucune collectivité ne porte cet identifiant"],
  [/^no need with this id/, () => "aucun besoin ne porte cet identifiant"],
  [/^no such profile/, () => "ce profil n'existe pas"],
  [/^no such version/, () => "cette version du profil n'existe pas"],
  [/conflict of interest/, () => "un conflit d'intérêts est déclaré pour cette collectivité"],
  [/^a decision can be recorded while the need is submitted, shortlisted or assigned; it is (\S+)/,
    (m) => `une décision ne peut être enregistrée que pour un besoin soumis, présélectionné ou attribué ; celui-ci est « ${statusLabel(m[1])} »`],
  [/^record a decision before the mission/, () => "enregistrez d'abord une décision (choix d'une collectivité) avant la mission"],
  [/^a need can only be edited while submitted or shortlisted/, () => "un besoin ne peut être modifié que s'il est soumis ou présélectionné"],
  [/^a need cannot move from (\S+) to (\S+)/, (m) => `un besoin ne peut pas passer de « ${statusLabel(m[1])} » à « ${statusLabel(m[2])} »`],
  [/^must be today or later/, () => "doit être aujourd'hui ou une date future"],
  [/^excluded by the (\w+) filter/, (m) => `écartée par le filtre « ${FILTER_NAMES[m[1]] || m[1]} »`],
  [/a proposal is waiting for its answer/, () => 'une proposition attend déjà sa réponse pour ce besoin'],
  [/^the proposal is (\w+)/, (m) => `cette proposition n'est plus en attente (${PROPOSAL_NAMES[m[1]] || m[1]})`],
  [/^at most (\d+) experts/, (m) => `au plus ${m[1]} experts`],
  [/^at most (\d+) bytes/, (m) => `au plus ${m[1]} octets`],
  [/^an integer from 1 to 5/, () => 'doit être un entier de 1 à 5'],
  [/^expected a number/, () => 'doit être un nombre'],
  [/^expected an integer/, () => 'doit être un entier'],
  [/^expected a (?:non-empty )?string/, () => 'doit être un texte non vide'],
  [/^must not be empty/, () => 'ne doit pas être vide'],
  [/^expected 1 to 64 of a-z, 0-9, _ and -|^invalid profile name/, () => 'doit compter 1 à 64 caractères parmi a-z, 0-9, _ et -'],
  [/^must be the name in the path/, () => "doit être le nom figurant dans l'adresse"],
  [/not this key's country|this key may only/, () => "hors du pays de votre ambassade"],
  [/^unknown field|is not a known field/, () => "n'est pas un champ connu"],
  [/not open|is not open/, () => "n'est plus ouvert (déjà attribué, en mission ou clos)"],
  [/no open needs/, () => 'aucun besoin ouvert sur cette période'],
  [/already accepted/, () => 'ce plan a déjà été accepté'],
  [/changed since/, () => 'a changé depuis le calcul du plan'],
  [/^before from$/, () => 'est antérieure au début de la période'],
  [/^the period may span at most (\d+) years/, (m) => `la période ne peut pas dépasser ${m[1]} ans`],
  [/^unknown theme "(.*)"$/, (m) => `thème inconnu « ${m[1]} »`],
  [/(?:between |from )?(\d+) (?:to|and) (\d+) characters/, (m) => `doit compter de ${m[1]} à ${Number(m[2]).toLocaleString('fr-FR')} caractères`],
  [/^duplicate/, () => 'figure deux fois'],
  [/^unknown theme/, () => 'thème inconnu'],
  [/^at least one theme/, () => 'choisissez au moins un thème'],
  [/recorded cooperations|stored cooperation/, () => 'ne correspond à aucune coopération enregistrée de la collectivité (pays et partenaire)'],
  [/not one of the themes applied for/, () => "n'est pas un des thèmes de la candidature"],
  [/must be after since/, () => 'doit être postérieure à la date de début'],
  [/^a date YYYY-MM-DD/, () => "n'est pas une date valide (AAAA-MM-JJ)"],
  [/^must be the key's own collectivit/, () => 'doit être votre propre collectivité'],
  [/^a year from (\d+) to (\d+)/, (m) => `doit être une année de ${m[1]} à ${m[2]}`],
  [/^a non-empty string/, () => 'est obligatoire'],
  [/holds no label on this theme/, () => 'la collectivité ne détient pas de label sur ce thème'],
  [/^expected a collectivit/, () => 'doit être l’identifiant d’une collectivité'],
  [/^unknown collectivit/, () => "aucune collectivité ne porte cet identifiant"],
  [/^expected a SIREN/, () => 'doit être un numéro SIREN : 9 chiffres dont une clé de contrôle valide'],
  [/^not in the official list/, () => 'ne figure pas dans la liste officielle des collectivités'],
  [/^give either collectivite or siren/, () => 'choisissez soit une collectivité du catalogue, soit une collectivité de la liste officielle'],
  [/^only for an authority named by siren/, () => 'ne se donne que pour une collectivité absente du catalogue'],
  [/applies for its own record only/, () => 'une collectivité ne candidate que pour elle-même'],
];

const FILTER_NAMES = {
  conflict: "conflit d'intérêts déclaré", declined: 'a décliné une proposition pour ce besoin',
  no_active_label: 'pas de label valide sur la période', language: 'aucune langue de travail commune',
  no_capacity: 'capacité annuelle épuisée',
};
const PROPOSAL_NAMES = { waiting: 'en attente', accepted: 'acceptée', declined: 'déclinée', expired: 'expirée', withdrawn: 'retirée' };

const STATUS_NAMES = {
  submitted: 'soumis', shortlisted: 'présélectionné', proposed: 'proposé', assigned: 'attribué', in_mission: 'en mission',
  report_due: 'rapport attendu', closed: 'clos', cancelled: 'annulé',
};
function statusLabel(status) {
  return STATUS_NAMES[String(status).replace(/[^a-z_]/g, '')] || status;
}

function translatePhrase(text) {
  for (const [pattern, render] of PHRASES) {
    const match = pattern.exec(text || '');
    if (match) return render(match);
  }
  return null;
}

// "/weights/thematic" -> "Poids « Adéquation thématique »"; "/needs/3" -> "Besoins n° 4".
function fieldLabel(error) {
  if (error.parameter) return FIELD_LABELS[error.parameter] || `Paramètre « ${error.parameter} »`;
  const pointer = (error.pointer || '').replace(/^\//, '');
  if (!pointer) return 'Requête';
  if (FIELD_LABELS[pointer]) return FIELD_LABELS[pointer];
  const index = /^(\w+)\/(\d+)/.exec(pointer);
  if (index && FIELD_LABELS[index[1]]) return `${FIELD_LABELS[index[1]]}, n° ${Number(index[2]) + 1}`;
  const first = pointer.split('/')[0];
  return FIELD_LABELS[first] ? `${FIELD_LABELS[first]} (${pointer})` : `Champ « ${pointer} »`;
}

const STATUS_MESSAGES = {
  400: 'La requête envoyée au serveur est mal formée.',
  401: "Clé d'API absente, inconnue ou révoquée : reconnectez-vous avec une clé valide.",
  403: "Votre rôle ne permet pas cette action.",
  404: "L'élément demandé n'existe pas (ou plus).",
  405: "Cette action n'est pas proposée par le serveur.",
  409: "L'opération entre en conflit avec l'état actuel des données.",
  413: 'La requête est trop volumineuse.',
  415: "Le serveur n'accepte que du JSON.",
  422: 'Certaines valeurs ont été refusées.',
  429: 'Trop de requêtes : patientez quelques secondes puis réessayez.',
};

// An API failure, with its French message and, per field, the French reasons.
export class ApiError extends Error {
  constructor(status, problem) {
    const french = STATUS_MESSAGES[status] || (status >= 500
      ? "Erreur interne du serveur : l'opération n'a pas été appliquée. Réessayez plus tard."
      : `Le serveur a refusé la requête (code ${status}).`);
    super(french);
    this.status = status;
    this.problem = problem || null;
    this.fields = [];
    for (const error of (problem && Array.isArray(problem.errors)) ? problem.errors : []) {
      const translated = translatePhrase(error.detail);
      this.fields.push({
        pointer: error.pointer, parameter: error.parameter,
        label: fieldLabel(error),
        message: translated || `valeur refusée (${error.detail})`,
      });
    }
    // A top-level detail we know how to say in French replaces the generic sentence.
    const detail = problem && translatePhrase(problem.detail);
    if (detail && this.fields.length === 0) this.message = `${french} ${detail.charAt(0).toUpperCase()}${detail.slice(1)}.`;
    this.technical = problem && problem.detail ? problem.detail : '';
  }
}

export class NetworkError extends Error {
  constructor() {
    super("Le serveur ne répond pas : vérifiez qu'expectmatch est lancé, puis réessayez.");
    this.status = 0;
    this.fields = [];
    this.technical = '';
  }
}

export class Api {
  constructor(key) {
    this.key = key;
  }

  async request(method, path, body) {
    const headers = { Authorization: `Bearer ${this.key}`, Accept: 'application/json' };
    const init = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    // The inbox's first calls may have been made before this module ran (early.js).
    const takeEarly = window.expectmatchTakeEarly;
    let answer = method === 'GET' && takeEarly ? await takeEarly(this.key, path) : null;
    if (!answer) {
      try {
        const response = await fetch(path, init);
        answer = { status: response.status, text: await response.text() };
      } catch {
        throw new NetworkError();
      }
    }
    const { status, text } = answer;
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (status < 200 || status > 299) throw new ApiError(status, data);
    return data;
  }

  // Sends `file` as the body of `method path` with XMLHttpRequest, which, unlike fetch, reports
  // the upload's progress (onProgress(fraction sent)). Resolves with the answer's JSON; rejects
  // with an ApiError (its problem document) or a NetworkError, as request() does.
  sendFile(method, path, file, headers, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, path);
      xhr.setRequestHeader('Authorization', `Bearer ${this.key}`);
      xhr.setRequestHeader('Accept', 'application/json');
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
      };
      xhr.onload = () => {
        let data = null;
        try {
          data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch {
          data = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve(data);
        else reject(new ApiError(xhr.status, data));
      };
      xhr.onerror = () => reject(new NetworkError());
      xhr.send(file);
    });
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body ?? {}); }
  put(path, body) { return this.request('PUT', path, body); }
  patch(path, body) { return this.request('PATCH', path, body); }

  // Every need matching `query` (the API pages by 200 at most).
  async allNeeds(query = {}) {
    const items = [];
    for (let offset = 0; ; offset += 200) {
      const params = new URLSearchParams({ ...query, limit: '200', offset: String(offset) });
      const page = await this.get(`/v1/needs?${params}`);
      items.push(...page.items);
      if (items.length >= page.total || page.items.length === 0) return items;
    }
  }

  // The key's role (GET /v1/whoami): daect, analyst, embassy or collectivite.
  // Throws ApiError(401) for an unknown or revoked key.
  async detectRole() {
    return (await this.whoami()).role;
  }

  // What GET /v1/whoami says of the key: role, and its country or collectivité when it has one.
  async whoami() {
    return this.get('/v1/whoami');
  }
}
