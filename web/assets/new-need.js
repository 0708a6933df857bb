// Submitting a need (#/nouveau): the partner recognised as it is typed (GET /v1/partners), the
// themes suggested from the description (POST /v1/themes/suggest), then POST /v1/needs. The
// API's 422 problems are shown next to the fields they point at.
import { h, fill, debounce } from './dom.js';
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

  // One error slot per field, tied to its input by aria-describedby.
  const slots = new Map();
  function errorSlot(name, input) {
    const slot = h('p', { class: 'field-error', id: `new-${name}-error`, hidden: true });
    slots.set(name, { slot, input });
    if (input) {
      const described = input.getAttribute('aria-describedby');
      input.setAttribute('aria-describedby', described ? `${described} ${slot.id}` : slot.id);
      // Edited, the field is judged again at the next submission.
      input.addEventListener('input', () => {
        slot.hidden = true;
        fill(slot);
        input.removeAttribute('aria-invalid');
        if ([...slots.values()].every((one) => one.slot.hidden)) fill(general);
      });
    }
    return slot;
  }
  const field = (name, label, input, ...extra) => h('div', { class: 'field' },
    h('label', { for: input.id }, label), input, extra, errorSlot(name, input));

  // ---- Country -------------------------------------------------------------------------------
  let country;
  if (fixedCountry) {
    country = h('input', { id: 'new-country', type: 'text', value: fixedCountry, readonly: true, 'aria-readonly': 'true',
      'aria-describedby': 'new-country-hint' });
  } else if (countries.length > 0) {
    country = h('select', { id: 'new-country', required: true },
      h('option', { value: '' }, 'Choisir un pays…'),
      countries.map((code) => h('option', { value: code }, `${countryName(code)} (${code})`)));
  } else {
    country = h('input', { id: 'new-country', type: 'text', required: true, pattern: '[A-Z]{2}', maxlength: '2',
      autocomplete: 'off', 'aria-describedby': 'new-country-hint' });
  }
  const countryHint = fixedCountry
    ? h('p', { class: 'hint', id: 'new-country-hint' }, `${countryName(fixedCountry)} : le pays de votre ambassade.`)
    : countries.length === 0 && h('p', { class: 'hint', id: 'new-country-hint' }, 'Code ISO à deux lettres majuscules (SN, BF…).');

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
        h('button', { type: 'button', class: 'secondary small', 'data-partner': candidate.id, onclick: () => pickPartner(candidate) },
          `${candidate.name} (${candidate.id})`))))]);
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
    pattern: '\\s*([a-zA-Z]{2}(\\s*[,;\\s]\\s*[a-zA-Z]{2})*)?\\s*', 'aria-describedby': 'new-languages-hint' });

  // ---- Description and themes ----------------------------------------------------------------
  const description = h('textarea', { id: 'new-description', rows: '5', maxlength: '20000', 'aria-describedby': 'new-themes-status' });
  const themesStatus = h('div', { id: 'new-themes-status', class: 'recognition', 'aria-live': 'polite' });
  const themesList = h('ul', { class: 'check-list theme-suggestions' });
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
      const box = h('input', { type: 'checkbox', id, value: suggestion.theme, checked: ticked.has(suggestion.theme),
        'aria-describedby': terms.length ? `${id}-terms` : null, onchange: () => {
          if (box.checked) ticked.set(suggestion.theme, suggestion); else ticked.delete(suggestion.theme);
        } });
      return h('li', {}, box,
        h('div', {},
          h('label', { for: id }, `${suggestion.label} (${formatNumber(suggestion.score)})`),
          terms.length > 0 && h('small', { class: 'muted evidence', id: `${id}-terms` }, ` — termes reconnus : ${terms.join(', ')}`)));
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
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Soumettre le besoin');

  function clearErrors() {
    for (const { slot, input } of slots.values()) {
      slot.hidden = true;
      fill(slot);
      if (input) input.removeAttribute('aria-invalid');
    }
    fill(general);
  }

  // "/period/end" -> the "end" slot; "/themes/0/theme" -> "themes"; unknown -> null.
  function slotFor(pointer) {
    const parts = (pointer || '').replace(/^\//, '').split('/');
    const byPointer = {
      country: 'country', partner: 'partner', period: parts[1] === 'start' ? 'start' : 'end',
      experts_needed: 'experts', languages: 'languages', description: 'description', themes: 'themes',
    };
    const name = byPointer[parts[0]];
    return name && slots.has(name) ? slots.get(name) : null;
  }

  function showErrors(error) {
    const unplaced = [];
    for (const one of (error && error.fields) || []) {
      const target = slotFor(one.pointer);
      if (!target) {
        unplaced.push(one);
        continue;
      }
      target.slot.hidden = false;
      target.slot.append(h('span', {}, `${one.label} ${one.message}.`), ' ');
      if (target.input) target.input.setAttribute('aria-invalid', 'true');
    }
    const placed = ((error && error.fields) || []).length - unplaced.length;
    if (placed === 0) {
      fill(general, session.errorBox(error, 'Besoin non enregistré'));
    } else if (unplaced.length > 0) {
      // What no field names stays in the box above the button.
      fill(general, session.errorBox({ message: error.message, fields: unplaced, technical: error.technical, status: error.status }, 'Besoin non enregistré'));
    } else {
      fill(general, h('p', { class: 'error-box', role: 'alert' }, `Besoin non enregistré : ${plural(placed, 'valeur refusée', 'valeurs refusées')}, voir les champs signalés.`));
    }
    const first = [...slots.values()].find(({ slot, input }) => !slot.hidden && input);
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
    const link = h('a', { href: `#/besoin/${encodeURIComponent(need.id)}`, class: 'button primary' }, `Ouvrir le besoin ${need.id}`);
    fill(outcome, h('section', { class: 'card', 'aria-labelledby': 'created-title' },
      h('h2', { id: 'created-title' }, 'Besoin enregistré'),
      need.partner_resolved && h('p', {}, `Partenaire reconnu : ${need.partner_resolved.name} (${need.partner_resolved.id}).`),
      duplicates.length > 0 && [
        h('p', { class: 'notice' }, `${plural(duplicates.length, 'besoin semblable existe', 'besoins semblables existent')} déjà : vérifiez qu'il ne s'agit pas d'un doublon.`),
        h('ul', { class: 'duplicates' }, duplicates.map((duplicate) => h('li', {},
          h('a', { href: `#/besoin/${encodeURIComponent(duplicate.id)}` }, duplicate.id),
          ` — similarité ${formatNumber(duplicate.similarity)}`)))],
      h('p', {}, link)));
    link.focus();
  }

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
    field('country', 'Pays', country, countryHint),
    h('div', { class: 'field grow' },
      h('label', { for: 'new-partner' }, 'Partenaire'),
      partnerInput,
      h('p', { class: 'hint' }, 'Le nom de la collectivité ou institution partenaire, tel que vous le connaissez.'),
      partnerStatus, partnerCandidates,
      errorSlot('partner', partnerInput))),
  h('div', { class: 'row' },
    field('start', 'Début de la période', start),
    field('end', 'Fin de la période', end),
    field('experts', "Nombre d'experts", experts),
    field('languages', 'Langues de travail (facultatif)', languages,
      h('p', { class: 'hint', id: 'new-languages-hint' }, 'Codes ISO 639-1 séparés par des virgules, par exemple « fr, en ».'))),
  h('div', { class: 'field' },
    h('label', { for: 'new-description' }, 'Description du besoin'),
    description,
    h('p', { class: 'hint' }, 'Les thèmes sont proposés à partir de la description, au fil de la saisie.'),
    errorSlot('description', description)),
  h('fieldset', { class: 'themes-fieldset' },
    h('legend', {}, 'Thèmes proposés'),
    themesStatus, themesList,
    errorSlot('themes', null)),
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
