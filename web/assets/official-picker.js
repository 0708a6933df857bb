// A search field over the official list of French local authorities (GET
// /v1/official-authorities): an accessible combobox (WAI-ARIA 1.2 pattern « combobox with list
// autocomplete ») that other screens reuse to pick a commune, an EPCI, a département or a région.
//   const picker = officialPicker(session.api, { id: 'x', label: '…', onSelect: (authority) => … });
//   parent.append(picker.node);
// The input has role=combobox; the matches, fetched as the user types (debounced, the most
// populous first), fill a listbox. Keyboard: ↓/↑ move among them (the input keeps the focus,
// aria-activedescendant names the active one), Entrée chooses it, Échap closes the list (and,
// when closed, empties the field). A live region says how many were found.
import { h, fill, debounce } from './dom.js';
import { formatInteger } from './format.js';

export const OFFICIAL_KIND_LABELS = {
  commune: 'Commune',
  epci: 'EPCI',
  departement: 'Département',
  region: 'Région',
};

// « Commune · Bretagne (35) · 230 890 habitants »: what tells two homonyms apart.
export function officialDetails(authority) {
  const parts = [OFFICIAL_KIND_LABELS[authority.kind] || authority.kind];
  parts.push(authority.departement && authority.kind !== 'departement'
    ? `${authority.region} (${authority.departement})` : authority.region);
  if (authority.population !== null && authority.population !== undefined) {
    parts.push(`${formatInteger(authority.population)} habitants`);
  }
  return parts.join(' · ');
}

// Options: id (of the input; the list and status derive theirs from it), label, kind (only that
// kind), limit (default 8), delay (ms, default 250), onSelect(authority).
export function officialPicker(api, options = {}) {
  const id = options.id || 'official-picker';
  const listId = `${id}-list`;
  const statusId = `${id}-status`;
  const input = h('input', {
    id, type: 'text', role: 'combobox', class: 'fr-input', autocomplete: 'off', spellcheck: 'false',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    'aria-describedby': statusId, placeholder: 'Nom, par exemple « Saint-Malo » ou « Rennes Métropole »',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'official-options', 'aria-label': options.label || 'Collectivités de la liste officielle', hidden: true });
  const status = h('p', { id: statusId, class: 'official-status fr-hint-text', 'aria-live': 'polite' });
  let items = [];
  let active = -1;
  let sequence = 0; // answers to older keystrokes are dropped

  function setOpen(open) {
    list.hidden = !open;
    input.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (!open) setActive(-1);
  }

  function setActive(index) {
    active = index;
    [...list.children].forEach((option, i) => option.setAttribute('aria-selected', i === index ? 'true' : 'false'));
    if (index >= 0 && list.children[index]) {
      input.setAttribute('aria-activedescendant', list.children[index].id);
      list.children[index].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function choose(index) {
    const authority = items[index];
    if (!authority) return;
    input.value = authority.name;
    setOpen(false);
    status.textContent = `${authority.name} choisie.`;
    if (options.onSelect) options.onSelect(authority);
  }

  function show(page) {
    items = page.items;
    fill(list, items.map((authority, i) => h('li', {
      id: `${id}-option-${i}`, role: 'option', 'aria-selected': 'false', class: 'official-option',
      'data-siren': authority.siren || '', 'data-insee': authority.insee || '',
      onmousedown: (event) => event.preventDefault(), // keep the focus in the input
      onclick: () => choose(i),
    }, h('span', { class: 'official-name' }, authority.name), ' ',
    h('span', { class: 'official-details muted' }, officialDetails(authority)))));
    if (items.length === 0) {
      status.textContent = 'Aucune collectivité de la liste officielle ne correspond.';
      setOpen(false);
      return;
    }
    const more = page.total > items.length ? ` sur ${formatInteger(page.total)}` : '';
    status.textContent = items.length === 1 ? '1 collectivité trouvée.' : `${items.length} collectivités${more} trouvées.`;
    setOpen(true);
    setActive(-1);
  }

  const search = debounce(async (text) => {
    const mine = ++sequence;
    const query = new URLSearchParams({ q: text, limit: String(options.limit || 8) });
    if (options.kind) query.set('kind', options.kind);
    try {
      const page = await api.get(`/v1/official-authorities?${query}`);
      if (mine === sequence) show(page);
    } catch (error) {
      if (mine !== sequence) return;
      items = [];
      setOpen(false);
      status.textContent = `La recherche a échoué : ${error.message}`;
    }
  }, options.delay === undefined ? 250 : options.delay);

  input.addEventListener('input', () => {
    const text = input.value.trim();
    if ([...text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')].filter((c) => /[\p{L}\p{N}]/u.test(c)).length < 2) {
      ++sequence;
      items = [];
      setOpen(false);
      status.textContent = text ? 'Saisissez au moins 2 caractères.' : '';
      return;
    }
    // The options shown matched the previous text: none may be chosen until this one's answer.
    items = [];
    fill(list);
    setOpen(false);
    search(text);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (items.length === 0) return;
      event.preventDefault();
      if (list.hidden) setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive(active < 0 ? (step > 0 ? 0 : items.length - 1) : (active + step + items.length) % items.length);
    } else if (event.key === 'Enter') {
      if (!list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      }
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (!list.hidden) {
        setOpen(false);
      } else {
        input.value = '';
        items = [];
        status.textContent = '';
      }
    }
  });
  input.addEventListener('blur', () => setOpen(false));

  // DSFR's input group; the listbox under the input is the page's own (DSFR has none), drawn
  // with DSFR's tokens (candidatures.css).
  const node = h('div', { class: 'fr-input-group official-picker' },
    h('label', { class: 'fr-label', for: id }, options.label || 'Collectivité de la liste officielle',
      h('span', { class: 'fr-hint-text' }, 'Au moins 2 caractères ; ↓ et ↑ parcourent les résultats, Entrée choisit, Échap ferme la liste.')),
    h('div', { class: 'official-combobox' }, input, list),
    status);
  return { node, input, clear() { input.value = ''; items = []; setOpen(false); status.textContent = ''; } };
}

// The DAECT's lookup on the « Propositions » screen: find an authority of the official list and
// read its codes (SIREN, INSEE), région, département and population.
export function officialSearchCard(session) {
  const result = h('div', { class: 'official-result', 'aria-live': 'polite' });
  const picker = officialPicker(session.api, {
    id: 'official-search',
    label: 'Rechercher dans la liste officielle',
    onSelect: (authority) => fill(result, h('dl', { class: 'official-card' },
      h('dt', {}, 'Nom'), h('dd', { class: 'official-chosen-name' }, authority.name),
      h('dt', {}, 'Type'), h('dd', {}, OFFICIAL_KIND_LABELS[authority.kind] || authority.kind),
      h('dt', {}, 'Région'), h('dd', {}, authority.region),
      authority.departement && [h('dt', {}, 'Département'), h('dd', {}, authority.departement)],
      h('dt', {}, 'SIREN'), h('dd', { class: 'official-siren' }, authority.siren || '—'),
      h('dt', {}, 'Code INSEE'), h('dd', { class: 'official-insee' }, authority.insee || '—'),
      h('dt', {}, 'Population'), h('dd', {}, authority.population === null ? '—' : formatInteger(authority.population)))),
  });
  return h('section', { class: 'card official-search', 'aria-labelledby': 'official-search-title' },
    h('h2', { id: 'official-search-title' }, 'Liste officielle des collectivités'),
    h('p', { class: 'muted' }, 'Communes, EPCI, départements et régions (INSEE, DGCL), avec leurs numéros SIREN et codes INSEE.'),
    picker.node, result);
}
