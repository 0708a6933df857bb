// Couverture: where labels are missing (#/couverture?du=&au=&theme=), GET /v1/coverage.
//   - the world map (world.svg, Natural Earth, kept with the page) coloured by the needs no
//     labelled authority can take, each country titled with its figures, with a legend;
//   - the same figures in a table (the map's accessible alternative);
//   - by country and theme: the needs, who could take them, the uncovered needs (links to
//     their page) and what removed their candidates;
//   - themes in demand × French régions: labelled authorities, empty cells to invite.
import { h, fill } from './dom.js';
import { FILTER_LABELS, addDays, formatDate, formatPercent, plural, today } from './format.js';
import { loadThemes } from './inbox.js';
import * as ui from './ui.js';

// Levels of the choropleth: the number of uncovered needs of a country.
export const LEVELS = [
  { className: 'cov-none', label: 'Aucun besoin sur la période', test: (c) => !c },
  { className: 'cov-0', label: 'Besoins tous couverts', test: (c) => c.uncovered_needs === 0 },
  { className: 'cov-1', label: '1 besoin non couvert', test: (c) => c.uncovered_needs === 1 },
  { className: 'cov-2', label: '2 à 4 besoins non couverts', test: (c) => c.uncovered_needs <= 4 },
  { className: 'cov-3', label: '5 besoins non couverts ou plus', test: () => true },
];

export function levelOf(country) {
  return LEVELS.find((level) => level.test(country));
}

const INVITE = 'aucune collectivité labellisée : à inviter à candidater';

let mapText = null;
async function loadMap() {
  if (mapText === null) {
    const response = await fetch('/assets/world.svg');
    if (!response.ok) throw new Error(`Carte du monde indisponible (${response.status}).`);
    mapText = await response.text();
  }
  // A fresh copy each time: the screen writes classes and titles into it.
  const parsed = new DOMParser().parseFromString(mapText, 'image/svg+xml');
  return document.importNode(parsed.documentElement, true);
}

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function countryTitle(name, country) {
  if (!country) return `${name} : aucun besoin sur la période`;
  return `${name} : ${plural(country.uncovered_needs, 'besoin non couvert', 'besoins non couverts')} sur ${country.needs}`;
}

function paintMap(map, coverage, regionNames) {
  const byCode = new Map(coverage.countries.map((country) => [country.country, country]));
  map.setAttribute('role', 'group');
  map.setAttribute('aria-labelledby', 'coverage-map-title');
  map.setAttribute('class', 'world-map');
  map.removeAttribute('width');
  map.removeAttribute('height');
  // The two darkest classes are also hatched (the legend shows the same), so that they are told
  // apart from their neighbours by more than their colour.
  const defs = svg('defs');
  for (const [level, crossed] of [[2, false], [3, true]]) {
    const pattern = svg('pattern', {
      id: `cov-hatch-${level}`, class: `cov-pattern cov-pattern-${level}`,
      width: '4', height: '4', patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)',
    });
    pattern.append(svg('rect', { width: '4', height: '4' }), svg('line', { x1: '0', y1: '0', x2: '0', y2: '4' }));
    if (crossed) pattern.append(svg('line', { x1: '0', y1: '0', x2: '4', y2: '0' }));
    defs.append(pattern);
  }
  map.prepend(defs);
  for (const path of map.querySelectorAll('path')) {
    const code = path.getAttribute('data-country');
    const country = code ? byCode.get(code) : null;
    const name = country ? country.name : (code ? regionNames.of(code) : path.getAttribute('data-name'));
    path.setAttribute('class', levelOf(country).className);
    path.replaceChildren(svg('title', {}, countryTitle(name || code || '', country)));
  }
  return map;
}

function legend() {
  return h('ul', { class: 'coverage-legend', 'aria-label': 'Légende de la carte' },
    LEVELS.map((level) => h('li', {},
      h('span', { class: `swatch ${level.className}`, 'aria-hidden': 'true' }), level.label)));
}

function countriesTable(coverage) {
  const node = ui.table('Besoins non couverts par pays (les chiffres de la carte)',
    ['Pays', { label: 'Besoins', class: 'num' }, { label: 'Non couverts', class: 'num' }, { label: 'Part non couverte', class: 'num' }],
    coverage.countries.map((country) => h('tr', { 'data-country': country.country },
      h('th', { scope: 'row' }, country.name),
      h('td', { class: 'num' }, String(country.needs)),
      h('td', { class: 'num uncovered' }, String(country.uncovered_needs)),
      h('td', { class: 'num' }, formatPercent(country.share_uncovered)))),
    { class: 'coverage-table', id: 'coverage-countries' });
  node.querySelector('table').append(h('tfoot', {}, h('tr', {},
    h('th', { scope: 'row' }, 'Total'),
    h('td', { class: 'num' }, String(coverage.needs)),
    h('td', { class: 'num' }, String(coverage.uncovered_needs)),
    h('td', { class: 'num' }, formatPercent(coverage.share_uncovered)))));
  return node;
}

function filtersText(byFilter) {
  return Object.entries(byFilter).filter(([, count]) => count > 0)
    .map(([filter, count]) => `${FILTER_LABELS[filter] || filter} : ${count}`).join(' ; ');
}

function uncoveredNeedItem(need) {
  return h('li', {},
    h('a', { href: `#/besoin/${encodeURIComponent(need.id)}` }, need.id),
    ` (${formatDate(need.period.start)}) — candidates écartées : ${filtersText(need.excluded.by_filter)}`);
}

function themeItem(theme) {
  const eligible = theme.eligible_authorities === 0
    ? h('span', { class: 'none' }, 'aucune collectivité éligible')
    : `${plural(theme.eligible_authorities, 'collectivité éligible', 'collectivités éligibles')} (${theme.top_authorities.map((a) => a.name).join(', ')}${theme.eligible_authorities > theme.top_authorities.length ? '…' : ''})`;
  return h('li', { 'data-theme': theme.theme },
    h('strong', {}, theme.label), ` : ${plural(theme.needs, 'besoin')}, `, eligible,
    theme.uncovered_needs.length > 0 && h('ul', { class: 'uncovered-needs' }, theme.uncovered_needs.map(uncoveredNeedItem)));
}

function countryThemes(coverage) {
  const rows = coverage.countries.filter((country) => country.uncovered_needs > 0);
  if (rows.length === 0) {
    return h('p', { class: 'empty' }, 'Tous les besoins de la période peuvent être pris par au moins une collectivité labellisée.');
  }
  return h('div', { class: 'coverage-countries' }, rows.map((country) => h('section', { class: 'coverage-country', 'data-country': country.country },
    h('h3', {}, `${country.name} — ${plural(country.uncovered_needs, 'besoin non couvert', 'besoins non couverts')} sur ${country.needs}`),
    h('ul', {}, country.themes.map(themeItem)))));
}

function regionTable(coverage) {
  if (coverage.theme_regions.length === 0) return h('p', { class: 'empty' }, 'Aucun thème demandé sur la période.');
  const node = ui.table('Collectivités labellisées par thème demandé et par région',
    ['Thème (besoins)', ...coverage.regions],
    coverage.theme_regions.map((row) => h('tr', { 'data-theme': row.theme },
      h('th', { scope: 'row' }, `${row.label} (${row.needs})`),
      row.by_region.map((count, i) => count === 0
        ? h('td', { class: 'num gap', 'data-region': coverage.regions[i], title: INVITE },
          '0', h('span', { class: 'fr-sr-only' }, ` : ${INVITE}`))
        : h('td', { class: 'num', 'data-region': coverage.regions[i] }, String(count))))),
    { hideCaption: true, class: 'coverage-table regions-table', id: 'coverage-regions' });
  // The wide table scrolls sideways: the keyboard reaches its scrolling area too.
  const scroller = node.querySelector('.fr-table__container');
  scroller.setAttribute('tabindex', '0');
  scroller.setAttribute('role', 'region');
  scroller.setAttribute('aria-labelledby', 'coverage-regions-title');
  return node;
}

export async function renderCoverage(main, session, params, stillCurrent) {
  const { api } = session;
  const filters = {
    // Missions are planned ahead: the needs of the past year and of the year to come.
    from: params.get('du') || addDays(today(), -365),
    to: params.get('au') || addDays(today(), 365),
    theme: params.get('theme') || '',
  };
  fill(main, h('p', { class: 'loading' }, 'Chargement…'));
  const themes = await loadThemes(api);
  if (!stillCurrent()) return;

  const from = h('input', { id: 'coverage-from', type: 'date', value: filters.from, required: true });
  const to = h('input', { id: 'coverage-to', type: 'date', value: filters.to, required: true });
  const domains = [...themes.values()].filter((theme) => !theme.parent);
  const theme = h('select', { id: 'coverage-theme' },
    h('option', { value: '' }, 'Tous les thèmes'),
    domains.map((domain) => h('optgroup', { label: domain.label },
      h('option', { value: domain.id, selected: domain.id === filters.theme }, `${domain.label} (tout le domaine)`),
      [...themes.values()].filter((one) => one.parent === domain.id)
        .map((one) => h('option', { value: one.id, selected: one.id === filters.theme }, one.label)))));
  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  // Each filter is a query parameter of GET /v1/coverage: the API's problem for one is shown
  // under it too.
  const fields = { from: ui.field('Du', from), to: ui.field('Au', to), theme: ui.field('Thème', theme) };
  const showParameters = (error) => {
    for (const [name, group] of Object.entries(fields)) {
      const mine = ((error && error.fields) || []).filter((entry) => entry.parameter === name);
      if (mine.length > 0) group.error.say(mine.map((entry) => `${entry.label} : ${entry.message}`).join(' ; '));
    }
  };

  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Couverture')),
    h('p', { class: 'muted' }, 'Où les labels manquent : les besoins dont la période rencontre la période choisie et qu’aucune collectivité labellisée ne peut prendre (tous les filtres du classement appliqués).'),
    h('form', { class: 'card filters coverage-filters', 'aria-label': 'Période et thème', onsubmit: (event) => {
      event.preventDefault();
      const next = new URLSearchParams({ du: from.value, au: to.value });
      if (theme.value) next.set('theme', theme.value);
      location.hash = `#/couverture?${next}`;
    } },
    fields.from, fields.to, fields.theme,
    ui.button('Afficher', { type: 'submit', icon: 'filter-line' })),
    results);

  const query = new URLSearchParams({ from: filters.from, to: filters.to });
  if (filters.theme) query.set('theme', filters.theme);
  fill(results, h('p', { class: 'loading' }, 'Calcul de la couverture…'));
  let coverage;
  let map;
  try {
    [coverage, map] = await Promise.all([api.get(`/v1/coverage?${query}`), loadMap()]);
  } catch (error) {
    if (!stillCurrent()) return;
    fill(results, session.errorBox(error, 'Couverture indisponible'));
    showParameters(error);
    return;
  }
  if (!stillCurrent()) return;
  const regionNames = new Intl.DisplayNames(['fr'], { type: 'region' });
  fill(results,
    h('section', { class: 'card', 'aria-labelledby': 'coverage-map-title' },
      h('h2', { id: 'coverage-map-title' }, `Besoins non couverts par pays, du ${formatDate(coverage.from)} au ${formatDate(coverage.to)}`),
      h('p', { class: 'coverage-summary' },
        `${plural(coverage.uncovered_needs, 'besoin non couvert', 'besoins non couverts')} sur ${plural(coverage.needs, 'besoin')}`,
        coverage.needs > 0 ? ` (${formatPercent(coverage.share_uncovered)})` : '', '.'),
      h('div', { class: 'map-wrap' }, paintMap(map, coverage, regionNames)),
      legend(),
      coverage.countries.length > 0 ? countriesTable(coverage) : h('p', { class: 'empty' }, 'Aucun besoin sur la période.')),
    h('section', { class: 'card', 'aria-labelledby': 'coverage-themes-title' },
      h('h2', { id: 'coverage-themes-title' }, 'Besoins non couverts par pays et par thème'),
      countryThemes(coverage)),
    h('section', { class: 'card', 'aria-labelledby': 'coverage-regions-title' },
      h('h2', { id: 'coverage-regions-title' }, 'Collectivités labellisées par thème demandé et par région'),
      h('p', { class: 'muted' }, 'Labels valides au moins un jour de la période, sur le thème ou son domaine. ',
        h('span', { class: 'gap-sample' }, 'Case surlignée'), ` : ${INVITE}.`),
      regionTable(coverage)));
}
