// Capitalisation: what earlier missions learnt, searched in their reports.
//   renderReports        the « Capitalisation » screen (#/capitalisation?q=&theme=&pays=&du=&au=):
//                        GET /v1/reports with words, theme, country and period
//   relatedReportsPanel  « Ce que les missions précédentes ont appris » on a need's page:
//                        GET /v1/needs/{id}/related-reports
// Snippets come from the server as escaped text with the matched words in <mark>…</mark>; they
// are turned into text nodes and <mark> elements here, never inserted as HTML. Built with the
// State design system's components (ui.js): search bar, fields, tags, alerts.
import { h, fill } from './dom.js';
import * as ui from './ui.js';
import { countryName, formatDate, formatNumber, plural } from './format.js';
import { loadThemes, themeLabel } from './inbox.js';

const FIELD_NAMES = {
  resultats: 'résultats',
  recommandations: 'recommandations',
  suites_envisagees: 'suites envisagées',
  description: 'description du besoin',
  document: 'document du compte rendu',
};

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
function decodeEntities(text) {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);
}

// "a <mark>b</mark> &lt;c&gt;" -> ['a ', <mark>b</mark>, ' <c>'] (text stays text).
export function snippetNodes(snippet) {
  const nodes = [];
  const parts = String(snippet || '').split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) nodes.push(marked ? h('mark', {}, decodeEntities(part)) : decodeEntities(part));
  }
  return nodes;
}

function missionDates(item) {
  if (item.mission_start && item.mission_end) return `Mission du ${formatDate(item.mission_start)} au ${formatDate(item.mission_end)}`;
  if (item.mission_end) return `Mission terminée le ${formatDate(item.mission_end)}`;
  return 'Dates de mission non renseignées';
}

function reportItem(item, themes, showScore) {
  return h('li', { class: 'report-hit', 'data-need': item.need },
    h('div', { class: 'report-head' },
      h('a', { href: `#/besoin/${encodeURIComponent(item.need)}`, class: 'report-need' },
        `${item.collectivite_name || item.collectivite} — ${countryName(item.country)}`),
      h('span', { class: 'muted id' }, ` ${item.need}`),
      showScore && item.score > 0 && h('span', { class: 'score' }, h('span', { class: 'fr-sr-only' }, 'Pertinence : '), formatNumber(item.score, 2))),
    h('p', { class: 'muted fr-text--sm' }, missionDates(item)),
    item.themes.length > 0 && ui.tagsGroup(item.themes.map((theme) => themeLabel(themes, theme))),
    h('blockquote', { class: 'snippet' }, snippetNodes(item.snippet)),
    item.matched_fields.length > 0 && h('p', { class: 'muted fr-text--sm' },
      `Trouvé dans : ${item.matched_fields.map((field) => FIELD_NAMES[field] || field).join(', ')}`));
}

// Says under a filter's field the API's problem with its query parameter (`parameter`).
function showParameter(slot, error, parameter) {
  const mine = ((error && error.fields) || []).filter((entry) => entry.parameter === parameter);
  if (mine.length > 0) slot.say(mine.map((entry) => `${entry.label} : ${entry.message}`).join(' ; '));
}

export async function renderReports(main, session, params, stillCurrent) {
  const { api } = session;
  const filters = {
    q: params.get('q') || '',
    theme: params.get('theme') || '',
    country: params.get('pays') || '',
    from: params.get('du') || '',
    to: params.get('au') || '',
  };
  fill(main, h('p', { class: 'loading' }, 'Chargement…'));
  const themes = await loadThemes(api);
  const needs = await api.allNeeds();
  if (!stillCurrent()) return;
  const countries = [...new Set(needs.map((need) => need.country))]
    .sort((a, b) => countryName(a).localeCompare(countryName(b), 'fr'));

  const q = h('input', { id: 'reports-q', class: 'fr-input', type: 'search', name: 'q', value: filters.q, maxlength: '500',
    placeholder: 'Par exemple : formation des agents d’état civil', 'aria-describedby': 'reports-q-hint' });
  const domains = [...themes.values()].filter((theme) => !theme.parent);
  const theme = h('select', { id: 'reports-theme' },
    h('option', { value: '' }, 'Tous les thèmes'),
    domains.map((domain) => h('optgroup', { label: domain.label },
      h('option', { value: domain.id, selected: domain.id === filters.theme }, `${domain.label} (tout le domaine)`),
      [...themes.values()].filter((one) => one.parent === domain.id)
        .map((one) => h('option', { value: one.id, selected: one.id === filters.theme }, one.label)))));
  const country = h('select', { id: 'reports-country' },
    h('option', { value: '' }, 'Tous les pays'),
    countries.map((code) => h('option', { value: code, selected: code === filters.country }, countryName(code))));
  const from = h('input', { id: 'reports-from', type: 'date', value: filters.from });
  const to = h('input', { id: 'reports-to', type: 'date', value: filters.to });
  const fromField = ui.field('Fin de mission après le', from);
  const toField = ui.field('Fin de mission avant le', to);
  const results = h('div', { class: 'results', 'aria-live': 'polite' });

  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Capitalisation'),
      h('p', { class: 'muted' }, 'Ce que les missions précédentes ont appris : recherche dans les comptes rendus (synthèses et documents).')),
    h('form', { class: 'card reports-search', role: 'search', 'aria-label': 'Comptes rendus de mission', onsubmit: (event) => {
      event.preventDefault();
      const next = new URLSearchParams();
      if (q.value.trim()) next.set('q', q.value.trim());
      if (theme.value) next.set('theme', theme.value);
      if (country.value) next.set('pays', country.value);
      if (from.value) next.set('du', from.value);
      if (to.value) next.set('au', to.value);
      location.hash = `#/capitalisation?${next}`;
    } },
    // DSFR's search bar: the words, and the button that searches with every filter.
    h('div', { class: 'fr-search-bar fr-search-bar--lg fr-search-bar--labelled' },
      h('label', { class: 'fr-label', for: q.id }, 'Rechercher'),
      q,
      ui.button('Rechercher', { type: 'submit', title: 'Rechercher avec les mots et les filtres' })),
    h('p', { class: 'fr-hint-text', id: 'reports-q-hint' }, 'Des mots des synthèses ou des documents ; les filtres ci-dessous affinent la recherche.'),
    h('div', { class: 'row reports-filters' },
      ui.field('Thème', theme),
      ui.field('Pays', country),
      fromField,
      toField)),
    results);

  const query = new URLSearchParams();
  if (filters.q) query.set('q', filters.q);
  if (filters.theme) query.set('theme', filters.theme);
  if (filters.country) query.set('country', filters.country);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  if ([...query.keys()].length === 0) {
    fill(results, h('p', { class: 'empty' }, 'Saisissez des mots ou choisissez un thème, un pays ou une période.'));
    q.focus();
    return;
  }
  query.set('limit', '50');
  fill(results, h('p', { class: 'loading' }, 'Recherche…'));
  let page;
  try {
    page = await api.get(`/v1/reports?${query}`);
  } catch (error) {
    if (!stillCurrent()) return;
    // A bad period is said under its field too.
    showParameter(fromField.error, error, 'from');
    showParameter(toField.error, error, 'to');
    fill(results, session.errorBox(error, 'Recherche impossible'));
    return;
  }
  if (!stillCurrent()) return;
  fill(results,
    h('p', { class: 'muted result-count' }, page.total === 0
      ? 'Aucun compte rendu ne correspond.'
      : `${plural(page.total, 'compte rendu trouvé', 'comptes rendus trouvés')}${page.total > page.items.length ? ` (les ${page.items.length} plus pertinents affichés)` : ''}`),
    page.items.length > 0 && h('ol', { class: 'report-hits' }, page.items.map((item) => reportItem(item, themes, true))));
}

// The panel is returned at once and filled when the answer comes.
export function relatedReportsPanel(session, need) {
  const body = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading' }, 'Recherche dans les comptes rendus…'));
  const section = h('section', { class: 'card related-reports', 'aria-labelledby': 'related-title' },
    h('h2', { id: 'related-title' }, 'Ce que les missions précédentes ont appris'),
    body);
  Promise.all([
    loadThemes(session.api),
    session.api.get(`/v1/needs/${encodeURIComponent(need.id)}/related-reports?limit=3`),
  ]).then(([themes, page]) => {
    fill(body, page.items.length === 0
      ? h('p', { class: 'empty' }, 'Aucun compte rendu de mission ne porte sur ce sujet pour l’instant.')
      : h('ol', { class: 'report-hits' }, page.items.map((item) => reportItem(item, themes, false))),
    page.items.length > 0 && session.can('searchReports') &&
      h('p', {}, h('a', { class: 'fr-link fr-icon-search-line fr-link--icon-left', href: `#/capitalisation?${new URLSearchParams(need.themes.length ? { theme: need.themes[0].theme } : { pays: need.country })}` }, 'Chercher dans tous les comptes rendus')));
  }, (error) => fill(body, session.errorBox(error, 'Comptes rendus indisponibles')));
  return section;
}
