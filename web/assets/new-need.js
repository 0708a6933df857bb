// Submitting a need (#/nouveau): the partner recognised as it is typed (GET /v1/partners), the
// themes suggested from the description (POST /v1/themes/suggest), then POST /v1/needs. The
// API's 422 problems are shown next to the fields they point at.
import { h, fill, debounce } from './dom.js';
import { alert, button, buttonLink, checkbox, errorSlot, field } from './ui.js';
import { countryName, formatNumber, plural } from './format.js';

const LOOKUP_DELAY_MS = 250;

function addDays(day, days) {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

// The countries offered to DAECT: those of the stored needs, by French name.
async function knownCountries(api) {
  try {
    const needs = await api.allNeeds();
    return [...new Set(needs.map((need) => need.country))].sort((a, b) => countryName(a).localeCompare(countryName(b), 'fr'));
  } catch {
    return [];
  }
}

// The country of an embassy key (GET /v1/whoami), remembered on the session.
async function embassyCountry(session) {
  if (!session.country) session.country = (await session.api.get('/v1/whoami')).country || null;
  return session.country;
}

// "fr, en" -> ["fr", "en"].
function parseLanguages(text) {
  return text.split(/[\s,;]+/).map((code) => code.trim().toLowerCase()).filter(Boolean);
}

export async function renderNewNeed(main, session, stillCurrent) {
  const { api } = session;
  fill(main, h('p', { class: 'loading' }, 'Chargement du formulaire…'));
  const fixedCountry = session.role === 'embassy' ? await embassyCountry(session) : null;
  const countries = fixedCountry ? [] : await knownCountries(api);
  if (!stillCurrent()) return;

  // The fields whose problems the API names (problem+json pointers), each shown under its
  // field by ui.errorSlot. « /period » alone is the end's: the period ends before it starts.
  const POINTERS = {
    country: '/country',
    partner: /^\/partner(\/|$)/,
    start: '/period/start',
    end: /^\/period(\/end)?$/,
    experts: '/experts_needed',
    languages: /^\/languages(\/|$)/,
    description: '/description',
    themes: /^\/themes(\/|$)/,
  };
  const slots = new Map();
  // Field `name`'s group (ui.field); its error slot is registered under that name.
  function fieldFor(name, label, input, options = {}) {
    const group = field(label, input, { ...options, pointer: POINTERS[name] });
    slots.set(name, { error: group.error, input });
    watch(name, input);
    return group;
  }
  // Edited, a field is judged again at the next submission.
  function watch(name, input) {
    input.addEventListener('input', () => {
      slots.get(name).error.clear();
      if ([...slots.values()].every((one) => one.error.slot.hidden)) fill(general);
    });
  }

  // ---- Country -------------------------------------------------------------------------------
  let country;
  if (fixedCountry) {
    country = h('input', { id: 'new-country', type: 'text', value: fixedCountry, readonly: true });
  } else if (countries.length > 0) {
    country = h('select', { id: 'new-country', required: true },
      h('option', { value: '' }, 'Choisir un pays…'),
      countries.map((code) => h('option', { value: code }, `${countryName(code)} (${code})`)));
  } else {
    country = h('input', { id: 'new-country', type: 'text', required: true, pattern: '[A-Z]{2}', maxlength: '2',
      autocomplete: 'off' });
  }
  const countryHint = fixedCountry
    ? `${countryName(fixedCountry)} : le pays de votre ambassade.`
    : countries.length === 0 ? 'Code ISO à deux lettres majuscules (SN, BF…).' : undefined;

  // ---- Partner -------------------------------------------------------------------------------
  // Set when the typed text is recognised or a candidate picked: the need then names the
  // catalogue's partner (id and name); `typed` is the text it was recognised from.
  const partner = { id: null, name: '', typed: '' };
  let partnerSequence = 0;
  const partnerInput = h('input', { id: 'new-partner', type: 'text', required: true, maxlength: '200', autocomplete: 'off',
    'aria-describedby': 'new-partner-status' });
  const partnerStatus = h('div', { id: 'new-partner-status', class: 'recognition', 'aria-live': 'polite' });
  const partnerCandidates = h('div', { class: 'partner-candidates' });

  function showPartner(answer, text) {
    const resolved = answer && answer.resolved;
    if (resolved) {
      Object.assign(partner, { id: resolved.id, name: resolved.name, typed: text });
      fill(partnerStatus, h('p', { class: 'recognised' }, `Reconnu : ${resolved.name} (${resolved.id})`));
    } else {
      partner.id = null;
      fill(partnerStatus, h('p', { class: 'not-recognised' }, 'Aucun partenaire reconnu — le besoin gardera le nom saisi'));
    }
    const candidates = (answer && answer.candidates || []).filter((candidate) => !resolved || candidate.id !== resolved.id);
    fill(partnerCandidates, candidates.length > 0 && [
      h('p', { class: 'hint' }, resolved ? 'Autres partenaires proches :' : 'Partenaires proches :'),
      h('ul', { class: 'inline-list' }, candidates.map((candidate) => h('li', {},
        button(`${candidate.name} (${candidate.id})`, { kind: 'secondary', size: 'sm', 'data-partner': candidate.id, onclick: () => pickPartner(candidate) }))))]);
  }

  function pickPartner(candidate) {
    partnerSequence += 1; // a lookup in flight must not undo the choice
    Object.assign(partner, { id: candidate.id, name: candidate.name, typed: candidate.name });
    partnerInput.value = candidate.name;
    fill(partnerStatus, h('p', { class: 'recognised' }, `Choisi : ${candidate.name} (${candidate.id})`));
    fill(partnerCandidates);
    partnerInput.focus();
  }

  async function lookUpPartner() {
    const text = partnerInput.value.trim();
    const code = (country.value || '').trim();
    const sequence = ++partnerSequence;
    if (!text || !/^[A-Z]{2}$/.test(code)) {
      partner.id = null;
      fill(partnerStatus, text ? h('p', { class: 'hint' }, 'Choisissez le pays pour reconnaître le partenaire.') : null);
      fill(partnerCandidates);
      return;
    }
    const query = new URLSearchParams({ country: code, q: text, limit: '5' });
    try {
      const answer = await api.get(`/v1/partners?${query}`);
      if (sequence === partnerSequence && stillCurrent()) showPartner(answer, text);
    } catch (error) {
      if (sequence === partnerSequence && stillCurrent()) {
        partner.id = null;
        fill(partnerStatus, session.errorBox(error, 'Recherche du partenaire impossible'));
        fill(partnerCandidates);
      }
    }
  }
  const lookUpPartnerSoon = debounce(lookUpPartner, LOOKUP_DELAY_MS);
  partnerInput.addEventListener('input', () => {
    partner.id = null;
    lookUpPartnerSoon();
  });
  country.addEventListener('change', () => lookUpPartner());

  // ---- Period, experts, languages ------------------------------------------------------------
  const start = h('input', { id: 'new-start', type: 'date', required: true });
  const end = h('input', { id: 'new-end', type: 'date', required: true });
  start.addEventListener('change', () => {
    if (start.value && !end.value) end.value = addDays(start.value, 4);
  });
  const experts = h('input', { id: 'new-experts', type: 'number', min: '1', max: '50', step: '1', value: '1', required: true, inputmode: 'numeric' });
  const languages = h('input', { id: 'new-languages', type: 'text', autocomplete: 'off', placeholder: 'fr, en',
    pattern: '\\s*([a-zA-Z]{2}(\\s*[,;\\s]\\s*[a-zA-Z]{2})*)?\\s*' });

  // ---- Description and themes ----------------------------------------------------------------
  const description = h('textarea', { id: 'new-description', rows: '5', maxlength: '20000', 'aria-describedby': 'new-themes-status' });
  const themesStatus = h('div', { id: 'new-themes-status', class: 'recognition', 'aria-live': 'polite' });
  const themesList = h('ul', { class: 'check-list theme-suggestions' });
  const themesFieldset = h('fieldset', { class: 'fr-fieldset themes-fieldset', id: 'new-themes' });
  const ticked = new Map(); // theme id -> the suggestion it was ticked from
  let themeSequence = 0;

  function showThemes(suggestions) {
    // Ticked themes stay offered even when the description no longer suggests them.
    const shown = [...suggestions, ...[...ticked.values()].filter((kept) => !suggestions.some((s) => s.theme === kept.theme))];
    fill(themesStatus, h('p', {}, suggestions.length === 0
      ? 'Aucun thème reconnu dans la description.'
      : `${plural(suggestions.length, 'thème proposé', 'thèmes proposés')} : cochez ceux à retenir (aucun coché : la DAECT les confirmera).`));
    fill(themesList, shown.map((suggestion) => {
      const id = `new-theme-${suggestion.theme.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
      const terms = [...new Set((suggestion.evidence || []).flatMap((evidence) => evidence.terms || []))];
      const box = h('input', { id, name: 'new-theme', value: suggestion.theme, checked: ticked.has(suggestion.theme),
        'aria-describedby': terms.length ? `${id}-terms` : null, onchange: () => {
          if (box.checked) ticked.set(suggestion.theme, suggestion); else ticked.delete(suggestion.theme);
          slots.get('themes').error.clear();
        } });
      return h('li', { class: 'fr-fieldset__element' },
        checkbox(`${suggestion.label} (${formatNumber(suggestion.score)})`, box),
        terms.length > 0 && h('p', { class: 'fr-hint-text evidence', id: `${id}-terms` }, `Termes reconnus : ${terms.join(', ')}`));
    }));
  }

  async function suggestThemes() {
    const text = description.value.trim();
    const sequence = ++themeSequence;
    if (!text) {
      fill(themesStatus);
      if (ticked.size > 0) showThemes([]); else fill(themesList);
      return;
    }
    try {
      const answer = await api.post('/v1/themes/suggest', { text, k: 5 });
      if (sequence === themeSequence && stillCurrent()) showThemes(answer.suggestions || []);
    } catch (error) {
      if (sequence === themeSequence && stillCurrent()) fill(themesStatus, session.errorBox(error, 'Suggestion de thèmes impossible'));
    }
  }
  description.addEventListener('input', debounce(suggestThemes, LOOKUP_DELAY_MS));

  // ---- Submit --------------------------------------------------------------------------------
  const general = h('div', { 'aria-live': 'polite' });
  const outcome = h('div', { class: 'need-created', 'aria-live': 'polite' });
  const submit = button('Soumettre le besoin', { type: 'submit' });

  function clearErrors() {
    for (const { error } of slots.values()) error.clear();
    fill(general);
  }

  // Whether a field of the form shows the problem at `pointer` ("/period/end", "/themes/0/theme").
  function placedAt(pointer) {
    return [...slots.keys()].some((name) => {
      const matches = POINTERS[name];
      return typeof matches === 'string' ? matches === (pointer || '') : matches.test(pointer || '');
    });
  }

  function showErrors(error) {
    const fields = (error && error.fields) || [];
    const unplaced = fields.filter((one) => !placedAt(one.pointer));
    for (const { error: slot } of slots.values()) slot.show(error);
    const placed = fields.length - unplaced.length;
    if (placed === 0) {
      fill(general, session.errorBox(error, 'Besoin non enregistré'));
    } else if (unplaced.length > 0) {
      // What no field names stays in the box above the button.
      fill(general, session.errorBox({ message: error.message, fields: unplaced, technical: error.technical, status: error.status }, 'Besoin non enregistré'));
    } else {
      const box = alert('error', null, h('p', {}, `Besoin non enregistré : ${plural(placed, 'valeur refusée', 'valeurs refusées')}, voir les champs signalés.`));
      box.classList.add('error-box');
      fill(general, box);
    }
    const first = [...slots.values()].find(({ error: slot, input }) => !slot.slot.hidden && input.matches('input, select, textarea'));
    if (first) first.input.focus();
  }

  function body() {
    const name = partnerInput.value.trim();
    const payload = {
      country: (country.value || '').trim(),
      partner: partner.id && partner.typed === name ? { id: partner.id, name: partner.name } : { name },
      period: { start: start.value, end: end.value },
      experts_needed: Number(experts.value || 1),
      languages: parseLanguages(languages.value),
      description: description.value.trim(),
    };
    const themes = [...ticked.keys()];
    if (themes.length > 0) payload.themes = themes.map((theme) => ({ theme }));
    return payload;
  }

  function showCreated(need) {
    const duplicates = need.possible_duplicates || [];
    const link = buttonLink(`Ouvrir le besoin ${need.id}`, `#/besoin/${encodeURIComponent(need.id)}`, { icon: 'arrow-right-line' });
    fill(outcome, h('section', { class: 'card', 'aria-labelledby': 'created-title' },
      h('h2', { id: 'created-title' }, 'Besoin enregistré'),
      need.partner_resolved && h('p', {}, `Partenaire reconnu : ${need.partner_resolved.name} (${need.partner_resolved.id}).`),
      duplicates.length > 0 && [
        h('p', { class: 'fr-alert fr-alert--warning fr-alert--sm notice' }, `${plural(duplicates.length, 'besoin semblable existe', 'besoins semblables existent')} déjà : vérifiez qu'il ne s'agit pas d'un doublon.`),
        h('ul', { class: 'duplicates' }, duplicates.map((duplicate) => h('li', {},
          h('a', { href: `#/besoin/${encodeURIComponent(duplicate.id)}` }, duplicate.id),
          ` — similarité ${formatNumber(duplicate.similarity)}`)))],
      h('p', {}, link)));
    link.focus();
  }

  const partnerGroup = fieldFor('partner', 'Partenaire', partnerInput,
    { hint: 'Le nom de la collectivité ou institution partenaire, tel que vous le connaissez.', class: 'grow' });
  partnerGroup.insertBefore(partnerStatus, partnerGroup.error.slot);
  partnerGroup.insertBefore(partnerCandidates, partnerGroup.error.slot);
  // The suggested themes: a DSFR fieldset whose error slot is the one for « /themes ».
  themesFieldset.append(h('legend', { class: 'fr-fieldset__legend' }, 'Thèmes proposés'), themesStatus, themesList);
  const themesError = errorSlot(themesFieldset, POINTERS.themes);
  themesFieldset.append(themesError.slot);
  slots.set('themes', { error: themesError, input: themesFieldset });

  const form = h('form', { class: 'card new-need', onsubmit: async (event) => {
    event.preventDefault();
    clearErrors();
    submit.disabled = true;
    try {
      const need = await api.post('/v1/needs', body());
      if (!stillCurrent()) return;
      session.toast(`Besoin ${need.id} enregistré`);
      if ((need.possible_duplicates || []).length === 0) {
        location.hash = `#/besoin/${encodeURIComponent(need.id)}`;
        return;
      }
      form.hidden = true;
      showCreated(need);
    } catch (error) {
      showErrors(error);
    } finally {
      submit.disabled = false;
    }
  } },
  h('div', { class: 'row' },
    fieldFor('country', 'Pays', country, { hint: countryHint }),
    partnerGroup),
  h('div', { class: 'row' },
    fieldFor('start', 'Début de la période', start),
    fieldFor('end', 'Fin de la période', end),
    fieldFor('experts', "Nombre d'experts", experts),
    fieldFor('languages', 'Langues de travail (facultatif)', languages,
      { hint: 'Codes ISO 639-1 séparés par des virgules, par exemple « fr, en ».' })),
  fieldFor('description', 'Description du besoin', description,
    { hint: 'Les thèmes sont proposés à partir de la description, au fil de la saisie.' }),
  themesFieldset,
  general,
  h('div', { class: 'actions' }, submit));

  fill(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/' }, '← Tous les besoins')),
    h('div', { class: 'page-head' }, h('h1', {}, 'Nouveau besoin'),
      h('p', { class: 'muted' }, fixedCountry
        ? `Besoin relayé par l'ambassade (${countryName(fixedCountry)}).`
        : 'Besoin relayé par une ambassade : le partenaire et les thèmes sont reconnus au fil de la saisie.')),
    form, outcome);
  (fixedCountry ? partnerInput : country).focus();
}
