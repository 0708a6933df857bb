// The needs inbox: filters (status, country, theme) sent to GET /v1/needs, a search over what
// is shown, newest first, 20 a page (the page in the address: #/?page=2&statut=…), and the
// missions whose report is overdue (GET /v1/reports/overdue).
import { h, fill, debounce } from './dom.js';
import { badge, buttonLink, field, pagination, table, tag } from './ui.js';
import {
  NEEDS_PER_PAGE, STATUS_KINDS, STATUS_LABELS, compareCountries, compareIds, compareText, countryName, formatDate, formatShortDate, formatInteger, plural,
} from './format.js';

// A need's status as a DSFR badge (class "status" for the pages and tests that look for it).
export function statusBadge(status) {
  return badge(STATUS_LABELS[status] || status, STATUS_KINDS[status] ?? null, { class: `status status-${status}` });
}

let themeCache = null;
export async function loadThemes(api) {
  if (!themeCache) {
    const list = await api.get('/v1/themes');
    themeCache = new Map(list.items.map((theme) => [theme.id, theme]));
  }
  return themeCache;
}

let countryCache = null;
// The ids of the stored needs (an overdue mission may answer a need that is not stored).
let knownNeeds = new Set();
// The filter that changed, to give it the focus back once the list is shown again.
let pendingFocus = null;

function normalise(text) {
  return String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function themeLabel(themes, id) {
  const theme = themes.get(id);
  return theme ? theme.label : id;
}

export async function renderInbox(main, session, params, stillCurrent) {
  const { api } = session;
  const filters = {
    status: params.get('statut') || '',
    country: params.get('pays') || '',
    theme: params.get('theme') || '',
    search: params.get('q') || '',
  };
  const askedPage = Math.max(1, Number.parseInt(params.get('page') || '1', 10) || 1);
  fill(main, h('p', { class: 'loading' }, 'Chargement des besoins…'));

  const query = {};
  if (filters.status) query.status = filters.status;
  if (filters.country) query.country = filters.country;
  if (filters.theme) query.theme = filters.theme;
  const [themes, needs, overdue] = await Promise.all([
    loadThemes(api),
    api.allNeeds(query),
    session.can('readOverdue') ? api.get('/v1/reports/overdue').catch((error) => ({ error })) : Promise.resolve(null),
  ]);
  if (!countryCache || Object.keys(query).length === 0) {
    const all = Object.keys(query).length === 0 ? needs : await api.allNeeds();
    countryCache = [...new Set(all.map((need) => need.country))].sort(compareCountries);
    knownNeeds = new Set(all.map((need) => need.id));
  }
  if (!stillCurrent()) return;

  const overdueByNeed = new Map();
  if (overdue && overdue.items) for (const item of overdue.items) if (item.need) overdueByNeed.set(item.need, item);

  // Newest first: by submission day, then by id (later ids were submitted later the same day).
  // (Days, YYYY-MM-DD, compared as text: localeCompare would make the page's first collator.)
  needs.sort((a, b) => compareText(b.submitted_at || '', a.submitted_at || '') || compareIds(b.id, a.id));

  // The address of the inbox with `changes` applied (a filter change goes back to page 1).
  const addressWith = (changes) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value); else next.delete(name);
    }
    if (next.get('page') === '1') next.delete('page');
    const text = next.toString();
    return text ? `#/?${text}` : '#/';
  };
  const setParam = (name, value, focusId) => {
    pendingFocus = focusId || null;
    location.hash = addressWith({ [name]: value, page: null });
  };

  const select = (id, label, name, value, options) => field(label,
    h('select', { id, onchange: (event) => setParam(name, event.target.value, id) },
      options.map(([optionValue, optionLabel]) => h('option', { value: optionValue, selected: optionValue === value }, optionLabel))));

  const domains = [...themes.values()].filter((theme) => !theme.parent);
  const themeSelect = h('select', { id: 'filter-theme', onchange: (event) => setParam('theme', event.target.value, 'filter-theme') },
    h('option', { value: '' }, 'Tous les thèmes'),
    domains.map((domain) => h('optgroup', { label: domain.label },
      [...themes.values()].filter((theme) => theme.parent === domain.id)
        .map((theme) => h('option', { value: theme.id, selected: theme.id === filters.theme }, theme.label)))));

  const searchInput = h('input', { id: 'filter-search', type: 'search', value: filters.search, placeholder: 'Partenaire, pays, mot de la description…', autocomplete: 'off' });
  const count = h('p', { class: 'count', 'aria-live': 'polite' });
  const list = h('div', { class: 'need-list' });
  const pages = h('div', { class: 'inbox-pages' });
  let page = askedPage;

  const showRows = () => {
    const words = normalise(searchInput.value).split(/\s+/).filter(Boolean);
    const shown = needs.filter((need) => {
      if (words.length === 0) return true;
      const haystack = normalise([need.id, need.partner.name, countryName(need.country), need.description,
        ...need.themes.map((theme) => themeLabel(themes, theme.theme))].join(' '));
      return words.every((word) => haystack.includes(word));
    });
    const pageCount = Math.max(1, Math.ceil(shown.length / NEEDS_PER_PAGE));
    page = Math.min(page, pageCount);
    const first = (page - 1) * NEEDS_PER_PAGE;
    const onPage = shown.slice(first, first + NEEDS_PER_PAGE);
    count.textContent = `${plural(shown.length, 'besoin')} affiché${shown.length > 1 ? 's' : ''} sur ${formatInteger(needs.length)}`
      + (pageCount > 1 ? ` — page ${formatInteger(page)} sur ${formatInteger(pageCount)}` : '');
    fill(pages, pagination(page, pageCount, (target) => addressWith({ q: searchInput.value, page: String(target) }),
      { label: 'Pages de besoins' }));
    if (shown.length === 0) {
      fill(list, h('p', { class: 'empty' }, 'Aucun besoin ne correspond à ces critères.'));
      return;
    }
    fill(list, table(`Besoins, du plus récent au plus ancien${pageCount > 1 ? ` (page ${page} sur ${pageCount})` : ''}`,
      ['Besoin', 'Pays', 'Thèmes', 'Période', 'Statut', 'Soumis le'],
      onPage.map((need) => {
        const late = overdueByNeed.get(need.id);
        return h('tr', { class: late ? 'overdue' : null, 'data-need': need.id },
          h('td', { 'data-label': 'Besoin' },
            h('a', { href: `#/besoin/${encodeURIComponent(need.id)}`, class: 'need-link' }, need.partner.name),
            h('span', { class: 'muted id' }, need.id),
            late && badge(`Rapport en retard de ${plural(late.days_overdue, 'jour')}`, 'warning', { class: 'flag late' })),
          h('td', { 'data-label': 'Pays' }, countryName(need.country)),
          h('td', { 'data-label': 'Thèmes' }, need.themes.length > 0 && h('ul', { class: 'fr-tags-group' },
            need.themes.map((theme) => h('li', {}, tag(themeLabel(themes, theme.theme)))))),
          h('td', { 'data-label': 'Période' }, `${formatShortDate(need.period.start)} → ${formatShortDate(need.period.end)}`),
          h('td', { 'data-label': 'Statut' }, statusBadge(need.status)),
          h('td', { 'data-label': 'Soumis le' }, formatDate(need.submitted_at)));
      }),
      { hideCaption: true, class: 'needs-table' }));
  };
  const keepSearch = debounce(() => {
    // Keep the search in the address (without re-rendering) so that "back" returns to it; not
    // once another screen is open, nor while one is being opened: a need's link followed
    // within the delay has already changed the address, and its hashchange may come after
    // this timer (the need's address must not be replaced by the inbox's).
    const [path] = location.hash.slice(1).split('?');
    if (!stillCurrent() || (path !== '' && path !== '/')) return;
    history.replaceState(null, '', addressWith({ q: searchInput.value, page: page > 1 ? String(page) : null }));
  }, 300);
  searchInput.addEventListener('input', () => { page = 1; showRows(); keepSearch(); });

  let overdueSection = null;
  if (overdue && overdue.error) {
    overdueSection = session.errorBox(overdue.error, 'Rapports en retard indisponibles');
  } else if (overdue && overdue.total > 0) {
    overdueSection = h('details', { class: 'card overdue-card' },
      h('summary', {}, badge(plural(overdue.total, 'rapport en retard', 'rapports en retard'), 'warning', { class: 'flag late' }),
        ' — non remis deux mois après la fin de la mission'),
      h('ul', {}, overdue.items.map((item) => h('li', {},
        item.need && knownNeeds.has(item.need) ? h('a', { href: `#/besoin/${encodeURIComponent(item.need)}` }, item.need)
          : `Mission ${item.mission}`, ' — ',
        item.collectivite_name || item.collectivite, `, ${countryName(item.country)} : mission terminée le ${formatDate(item.end)}, rapport attendu le ${formatDate(item.report_due)} (${plural(item.days_overdue, 'jour')} de retard)`))));
  }

  fill(main,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Besoins des partenaires'),
      session.role === 'embassy' && h('p', { class: 'muted' }, 'Les besoins de votre pays.')),
    overdueSection,
    h('form', { class: 'filters card', role: 'search', 'aria-label': 'Filtrer les besoins', onsubmit: (event) => event.preventDefault() },
      select('filter-status', 'Statut', 'statut', filters.status,
        [['', 'Tous les statuts'], ...Object.entries(STATUS_LABELS)]),
      select('filter-country', 'Pays', 'pays', filters.country,
        [['', 'Tous les pays'], ...countryCache.map((code) => [code, countryName(code)])]),
      field('Thème', themeSelect),
      field('Rechercher', searchInput, { class: 'grow' }),
      (filters.status || filters.country || filters.theme || filters.search) &&
        h('div', { class: 'filters-clear' }, buttonLink('Effacer les filtres', '#/', { kind: 'secondary', icon: 'close-line' }))),
    count,
    list,
    pages);
  showRows();
  if (pendingFocus) {
    const node = document.getElementById(pendingFocus);
    pendingFocus = null;
    if (node) node.focus();
  }
}
