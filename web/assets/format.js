// French labels and formats: every date, number and name the page shows goes through here.
import { COUNTRY_NAMES } from './countries.js';

const LOCALE = 'fr-FR';

// Formatters made on first use: the first Intl.DateTimeFormat of a page costs 40 to 140 ms of
// main thread in Chromium (tests/web/measure.mjs), before the inbox could show a row. Days
// ("2027-06-21") are written without it: the same text as fr-FR's formats, from the digits.
const formatters = new Map();
function formatter(name, make) {
  if (!formatters.has(name)) formatters.set(name, make());
  return formatters.get(name);
}
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre',
  'octobre', 'novembre', 'décembre'];

// [year, month (1-12), day] of a valid "YYYY-MM-DD", else null.
function parseDay(day) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '');
  if (!match) return null;
  const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  // Out-of-range days roll over as Date does ("2027-02-30" is 2 March).
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

// "2027-06-21" -> "21 juin 2027".
export function formatDate(day) {
  const date = parseDay(day);
  return date ? `${date[2]} ${MONTHS[date[1] - 1]} ${date[0]}` : '—';
}

// "2027-06-21" -> "21/06/2027".
export function formatShortDate(day) {
  const date = parseDay(day);
  const pad = (n) => String(n).padStart(2, '0');
  return date ? `${pad(date[2])}/${pad(date[1])}/${date[0]}` : '—';
}

// A period {start, end} -> "du 21 juin 2027 au 23 juin 2027".
export function formatPeriod(period) {
  if (!period) return '—';
  return `du ${formatDate(period.start)} au ${formatDate(period.end)}`;
}

export function formatDateTime(text) {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? '—'
    : formatter('dateTime', () => new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeStyle: 'short' })).format(date);
}

export function formatNumber(value, digits = 2) {
  return new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

// 1234567 -> "1 234 567" (U+202F between the groups, as fr-FR's Intl.NumberFormat): written
// from the digits, so that the inbox's counts need no Intl object (see formatters above).
// Anything but a safe integer (a fraction, NaN, ∞) goes to Intl.
export function formatInteger(value) {
  if (!Number.isSafeInteger(value)) return formatter('integer', () => new Intl.NumberFormat(LOCALE)).format(value);
  const digits = String(Math.abs(value));
  const groups = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return (value < 0 || Object.is(value, -0) ? '-' : '') + groups.join('\u202f');
}

export function formatPercent(value) {
  return new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

// "1 besoin", "3 besoins".
export function plural(count, singular, pluralForm = singular + 's') {
  return `${formatInteger(count)} ${count === 1 || count === 0 ? singular : pluralForm}`;
}

// ISO code -> its French name, and its rank in French alphabetical order (COUNTRY_NAMES).
const COUNTRIES = new Map(COUNTRY_NAMES.map(([code, name], rank) => [code, { name, rank }]));

export function countryName(code) {
  const known = COUNTRIES.get(code);
  if (known) return known.name;
  try {
    return formatter('country', () => new Intl.DisplayNames([LOCALE], { type: 'region' })).of(code) || code;
  } catch {
    return code;
  }
}

// Country codes compared by their French names, in French alphabetical order
// (countryName(a).localeCompare(countryName(b), 'fr'), without Intl for the listed countries).
export function compareCountries(a, b) {
  const first = COUNTRIES.get(a);
  const second = COUNTRIES.get(b);
  if (first && second) return first.rank - second.rank;
  return countryName(a).localeCompare(countryName(b), LOCALE);
}

// Strings (or numbers) by their code units, as < and > compare them: no Intl collator.
export function compareText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Ids (letters, digits, '.', '_', '-': service IsValidId) in the order of
// a.localeCompare(b, 'fr', { numeric: true }), without Intl's collator: "_" < "-" < "." < numbers
// (by value) < letters (a = A), a shorter id first; then lower case before upper case. Other
// characters go to Intl.
const ID_PUNCTUATION = { _: 0, '-': 1, '.': 2 };
function idKeys(id) {
  const keys = [];
  for (const [, number, other] of id.matchAll(/(\d+)|(.)/gs)) {
    if (number !== undefined) {
      const value = number.replace(/^0+(?=\d)/, '');
      keys.push([1, value.length, value]);
    } else if (other in ID_PUNCTUATION) {
      keys.push([0, ID_PUNCTUATION[other], '']);
    } else if (/^[a-z]$/i.test(other)) {
      keys.push([2, 0, other.toLowerCase()]);
    } else {
      return null;
    }
  }
  return keys;
}
export function compareIds(a, b) {
  const first = idKeys(a);
  const second = idKeys(b);
  if (first === null || second === null) return a.localeCompare(b, LOCALE, { numeric: true });
  for (let i = 0; i < Math.min(first.length, second.length); i += 1) {
    for (let part = 0; part < 3; part += 1) {
      const order = compareText(first[i][part], second[i][part]);
      if (order !== 0) return order;
    }
  }
  if (first.length !== second.length) return first.length - second.length;
  // The same but for case or leading zeros (which the collator ignores): lower case first.
  const plain = (id) => id.replace(/\d+/g, (number) => number.replace(/^0+(?=\d)/, ''));
  const [x, y] = [plain(a), plain(b)];
  for (let i = 0; i < x.length; i += 1) {
    if (x[i] !== y[i]) return x[i] !== x[i].toUpperCase() ? -1 : 1;
  }
  return 0;
}

export function languageName(code) {
  try {
    return formatter('language', () => new Intl.DisplayNames([LOCALE], { type: 'language' })).of(code) || code;
  } catch {
    return code;
  }
}

// Today as YYYY-MM-DD (local day).
export function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const STATUS_LABELS = {
  submitted: 'Soumis',
  shortlisted: 'Présélectionné',
  assigned: 'Attribué',
  in_mission: 'En mission',
  proposed: 'Proposé',
  report_due: 'Rapport attendu',
  closed: 'Clos',
  cancelled: 'Annulé',
};

// The DSFR badge kind of each status (ui.badge): blue while DAECT works on it, green once an
// authority has it, orange when something is awaited, grey when it is over, red if cancelled.
export const STATUS_KINDS = {
  submitted: 'info',
  shortlisted: 'new',
  assigned: 'success',
  in_mission: 'success',
  proposed: 'new',
  report_due: 'warning',
  closed: null,
  cancelled: 'error',
};

// How many needs the inbox shows per page.
export const NEEDS_PER_PAGE = 20;

export const FEATURES = ['thematic', 'country_presence', 'partner_history', 'track_record', 'language', 'availability'];

export const FEATURE_LABELS = {
  thematic: 'Adéquation thématique',
  country_presence: 'Présence dans le pays',
  partner_history: 'Historique avec le partenaire',
  track_record: 'Expérience des missions',
  language: 'Langues de travail',
  availability: 'Disponibilité',
};

export const FILTER_LABELS = {
  conflict: "Conflit d'intérêts déclaré",
  declined: 'A décliné une proposition pour ce besoin',
  no_active_label: 'Pas de label valide sur la période',
  language: 'Aucune langue de travail commune',
  no_capacity: 'Capacité annuelle épuisée',
};

export const KIND_LABELS = {
  region: 'Région',
  departement: 'Département',
  commune: 'Commune',
  epci: 'Intercommunalité',
  association: "Association d'élus",
};

export const ROLE_LABELS = {
  daect: 'DAECT',
  analyst: 'Analyste',
  embassy: 'Ambassade',
  collectivite: 'Collectivité',
};

// A proposal's status (GET /v1/proposals) as the page says it.
export const PROPOSAL_STATUS_LABELS = {
  waiting: 'En attente',
  accepted: 'Acceptée',
  declined: 'Déclinée',
  expired: 'Expirée',
  withdrawn: 'Retirée',
};

// A day `days` after `day` (YYYY-MM-DD), as YYYY-MM-DD.
export function addDays(day, days) {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}
