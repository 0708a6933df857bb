// « Demander un label »: the application form (POST /v1/label-applications, then each chosen
// document to .../documents with a progress bar). A collectivité applies for itself; DAECT files
// an application on an authority's behalf, chosen from GET /v1/collectivites.
//   #/candidatures/nouvelle?collectivite=<id>&renouvelle=<theme>,<theme>
// `renouvelle` prefills a renewal: those themes are ticked and sent as `renews`.
import { h, fill } from './dom.js';
import { countryName, formatDate, formatInteger } from './format.js';
import { loadThemes } from './inbox.js';
import { announceOnNextApplication, backLink, documentsField, pointerSlot } from './candidatures.js';
import { officialPicker, officialDetails } from './official-picker.js';
import * as ui from './ui.js';

// The API's problem for a fieldset, shown at its end (DSFR's messages group).
function fieldsetSlot(fieldset, matches) {
  const slot = pointerSlot(fieldset, matches);
  fieldset.append(h('div', { class: 'fr-messages-group' }, slot.slot));
  return slot;
}

const EVIDENCE_MIN = 20;
const EVIDENCE_MAX = 20000;

async function allCollectivites(api) {
  const items = [];
  for (let offset = 0; ; offset += 200) {
    const page = await api.get(`/v1/collectivites?limit=200&offset=${offset}`);
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) break;
  }
  return items.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

export async function renderApplicationForm(main, session, params, stillCurrent) {
  const { api } = session;
  const own = session.role === 'collectivite';
  fill(main, h('p', { class: 'loading' }, 'Chargement du formulaire…'));
  const themes = await loadThemes(api);
  let authorities = [];
  let fixed = null;
  if (own) {
    fixed = await api.get(`/v1/collectivites/${encodeURIComponent(session.collectivite)}`);
  } else {
    authorities = await allCollectivites(api);
  }
  if (!stillCurrent()) return;
  const renews = (params.get('renouvelle') || '').split(',').map((theme) => theme.trim()).filter((theme) => themes.has(theme));
  const wanted = own ? session.collectivite : (params.get('collectivite') || '');
  const recordOf = (id) => (own ? fixed : authorities.find((authority) => authority.id === id) || null);

  // ---- The authority -----------------------------------------------------------------------
  const authoritySelect = !own && h('select', { id: 'application-collectivite', required: true },
    h('option', { value: '' }, '— Choisir une collectivité —'),
    authorities.map((authority) => h('option', { value: authority.id, selected: authority.id === wanted }, `${authority.name} (${authority.id})`)));
  const authorityField = own
    ? h('p', { class: 'app-authority' }, h('strong', {}, 'Collectivité : '), fixed.name, h('span', { class: 'muted' }, ` (${fixed.id})`))
    : ui.field('Collectivité (candidature déposée en son nom)', authoritySelect, { pointer: '/collectivite' });
  const authorityError = authoritySelect && authorityField.error;
  const currentId = () => (own ? session.collectivite : authoritySelect.value);

  // ---- Or an authority the catalogue lacks, from the official list (DAECT) -------------------
  // Chosen by name as DAECT types; sent by its SIREN with what the application declares of it
  // (languages, missions a year), and the API makes its record with the application.
  let official = null;
  const officialChosen = h('div', { id: 'application-official-chosen', class: 'official-chosen', 'aria-live': 'polite' });
  const languagesInput = h('input', { id: 'application-languages', type: 'text', value: 'fr', autocomplete: 'off' });
  const capacityInput = h('input', { id: 'application-capacity', type: 'number', min: '0', max: '1000', value: '1' });
  const sirenSlot = !own && pointerSlot(officialChosen, '/siren');
  const languagesField = ui.field('Langues de travail de ses experts (codes ISO 639-1, séparés par des virgules)', languagesInput, { pointer: /^\/languages(\/\d+)?$/ });
  const capacityField = ui.field('Missions qu’elle peut accepter par an', capacityInput, { pointer: '/capacity_per_year' });
  const languagesSlot = !own && languagesField.error;
  const capacitySlot = !own && capacityField.error;
  const officialExtra = h('div', { class: 'official-extra', hidden: true }, languagesField, capacityField);
  const chooseOfficial = (authority) => {
    const known = authority && authority.siren && authorities.find((record) => record.siren === authority.siren);
    if (known) {
      official = null;
      authoritySelect.value = known.id;
      officialExtra.hidden = true;
      fill(officialChosen, h('p', {}, `${known.name} est déjà au catalogue : elle est choisie ci-dessus.`));
      authoritySelect.dispatchEvent(new Event('change'));
      return;
    }
    official = authority;
    authoritySelect.value = '';
    officialExtra.hidden = !authority;
    fill(officialChosen, authority
      ? h('p', {}, h('strong', {}, authority.name), ` — ${officialDetails(authority)} — SIREN ${authority.siren}. `,
        'Sa fiche sera créée au catalogue avec la candidature.')
      : null);
  };
  const officialField = !own && h('details', { class: 'official-field' },
    h('summary', {}, 'Collectivité absente du catalogue : la chercher dans la liste officielle'),
    officialPicker(api, { id: 'application-official', label: 'Liste officielle des collectivités', onSelect: chooseOfficial }).node,
    officialChosen, sirenSlot && sirenSlot.slot, officialExtra);

  // ---- Renewal notice ----------------------------------------------------------------------
  const renewNotice = h('div', { class: 'renew-notice', id: 'renew-notice', tabindex: '-1' });
  const renewError = pointerSlot(renewNotice, /^\/renews(\/\d+)?$/);
  const showRenewal = () => {
    const record = recordOf(currentId());
    if (renews.length === 0) {
      fill(renewNotice);
      return;
    }
    fill(renewNotice, ui.alert('info', null, h('p', {}, 'Demande de renouvellement du label ',
      renews.map((theme, index) => {
        const label = record && (record.labels || []).find((one) => one.theme === theme);
        return [index > 0 ? ', ' : '', `« ${themes.get(theme).label} »`, label && label.until ? ` (valable jusqu’au ${formatDate(label.until)})` : ''];
      }), '.')));
  };

  // ---- Themes ------------------------------------------------------------------------------
  const themeBoxes = new Map();
  const domains = [...themes.values()].filter((theme) => !theme.parent);
  const chosenCount = h('p', { class: 'fr-hint-text', 'aria-live': 'polite', id: 'application-themes-count' });
  const themesBox = h('fieldset', { class: 'fr-fieldset themes-fieldset application-themes', id: 'application-themes' },
    h('legend', { class: 'fr-fieldset__legend' }, 'Thèmes du label demandé (au moins un)'),
    h('div', { class: 'fr-fieldset__element' }, chosenCount),
    domains.map((domain) => {
      const children = [...themes.values()].filter((theme) => theme.parent === domain.id);
      const open = children.some((theme) => renews.includes(theme.id));
      return h('div', { class: 'fr-fieldset__element' }, h('details', { class: 'theme-domain', open },
        h('summary', {}, domain.label),
        h('ul', { class: 'theme-choices' }, children.map((theme) => {
          const box = h('input', { type: 'checkbox', id: `theme-${theme.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`, value: theme.id, checked: renews.includes(theme.id) });
          themeBoxes.set(theme.id, box);
          return h('li', {}, ui.checkbox(theme.label, box));
        }))));
    }));
  const themesError = fieldsetSlot(themesBox, /^\/themes(\/\d+)?$/);
  const chosenThemes = () => [...themeBoxes.values()].filter((box) => box.checked).map((box) => box.value);
  const countThemes = () => {
    const chosen = chosenThemes();
    chosenCount.textContent = chosen.length === 0 ? 'Aucun thème choisi.'
      : `${chosen.length} thème${chosen.length > 1 ? 's' : ''} choisi${chosen.length > 1 ? 's' : ''} : ${chosen.map((id) => themes.get(id).label).join(', ')}.`;
  };
  themesBox.addEventListener('change', countThemes);
  // A problem shown under a field goes once the field is changed (the next submit rechecks).
  themesBox.addEventListener('change', () => themesError.clear());
  countThemes();

  // ---- Evidence ----------------------------------------------------------------------------
  const evidence = h('textarea', { id: 'application-evidence', rows: '8', maxlength: String(EVIDENCE_MAX), required: true });
  const evidenceCount = h('p', { class: 'fr-hint-text evidence-count', id: 'application-evidence-count' });
  const evidenceField = ui.field('Justification de la demande (obligatoire)', evidence, {
    pointer: '/evidence', hint: 'Décrivez l’expérience de la collectivité sur ces thèmes : projets, résultats, moyens.',
  });
  evidenceField.insertBefore(evidenceCount, evidenceField.error.slot);
  evidence.setAttribute('aria-describedby', `${evidence.getAttribute('aria-describedby')} ${evidenceCount.id}`);
  const evidenceError = evidenceField.error;
  const countEvidence = () => {
    const n = evidence.value.trim().length;
    evidenceCount.textContent = `${formatInteger(n)} caractère${n > 1 ? 's' : ''} (de ${EVIDENCE_MIN} à ${formatInteger(EVIDENCE_MAX)}).`;
  };
  evidence.addEventListener('input', countEvidence);
  evidence.addEventListener('input', () => evidenceError.clear());
  countEvidence();

  // ---- Cooperations: the authority's stored links when its record lists them, else rows ----
  const cooperationArea = h('div', { class: 'cooperation-area' });
  const cooperationsBox = h('fieldset', { class: 'fr-fieldset application-cooperations', id: 'application-cooperations' },
    h('legend', { class: 'fr-fieldset__legend' }, 'Coopérations décentralisées mises en avant'),
    h('div', { class: 'fr-fieldset__element' }, cooperationArea));
  const cooperationsError = fieldsetSlot(cooperationsBox, /^\/cooperations$/);
  let cooperationRows = [];
  let cooperationCounter = 0;
  let cooperationsFrom = null;
  const showCooperations = () => {
    const record = recordOf(currentId());
    cooperationRows = [];
    if (record && Array.isArray(record.cooperations)) {
      cooperationsFrom = 'record';
      if (record.cooperations.length === 0) {
        fill(cooperationArea, h('p', { class: 'muted' }, 'Aucune coopération enregistrée pour cette collectivité.'));
        return;
      }
      fill(cooperationArea, h('ul', { class: 'theme-choices' }, record.cooperations.map((link, index) => {
        const partner = typeof link.partner === 'object' && link.partner ? link.partner : { name: link.partner };
        const box = h('input', { type: 'checkbox', id: `cooperation-${index}` });
        const choice = ui.checkbox(`${partner.name || partner.id} — ${countryName(link.country)}`, box);
        const row = { box, value: () => ({ country: link.country, partner: partner.id || partner.name }), error: pointerSlot(box, new RegExp(`^/cooperations/${cooperationRows.length}(/.*)?$`)) };
        choice.append(h('div', { class: 'fr-messages-group' }, row.error.slot));
        cooperationRows.push(row);
        return h('li', {}, choice);
      })));
      return;
    }
    cooperationsFrom = 'rows';
    const list = h('ol', { class: 'expert-rows cooperation-rows' });
    const add = ui.button('Ajouter une coopération', { kind: 'secondary', size: 'sm', icon: 'add-line', onclick: () => addRow(true) });
    const addRow = (focus) => {
      cooperationCounter += 1;
      const n = cooperationCounter;
      const country = h('input', { id: `cooperation-country-${n}`, type: 'text', maxlength: '2', size: '3', autocomplete: 'off', spellcheck: 'false', class: 'country-code' });
      const countryShown = h('span', { class: 'fr-hint-text country-name', 'aria-live': 'polite' });
      country.addEventListener('input', () => {
        country.value = country.value.toUpperCase();
        countryShown.textContent = /^[A-Z]{2}$/.test(country.value) ? countryName(country.value) : '';
      });
      const partner = h('input', { id: `cooperation-partner-${n}`, type: 'text', maxlength: '200', autocomplete: 'off' });
      const row = { country, partner };
      const countryField = ui.field('Pays (code ISO, ex. SN)', country, { class: 'country' });
      countryField.insertBefore(countryShown, countryField.error.slot);
      const partnerField = ui.field('Collectivité partenaire', partner, { class: 'grow' });
      const node = h('li', { class: 'expert-row cooperation-row' },
        h('div', { class: 'row' }, countryField, partnerField),
        ui.button('Retirer', { kind: 'tertiary', size: 'sm', icon: 'delete-line', 'aria-label': `Retirer la coopération ${n}`, onclick: () => {
          cooperationRows = cooperationRows.filter((one) => one !== row);
          node.remove();
          add.focus();
        } }));
      row.node = node;
      row.value = () => ({ country: country.value.trim().toUpperCase(), partner: partner.value.trim() });
      row.empty = () => !country.value.trim() && !partner.value.trim();
      row.error = partnerField.error;
      for (const control of [country, partner]) control.addEventListener('input', () => row.error.clear());
      cooperationRows.push(row);
      list.append(node);
      if (focus) country.focus();
    };
    fill(cooperationArea,
      h('p', { class: 'fr-hint-text' }, 'Chaque coopération doit correspondre à un partenariat enregistré de la collectivité (pays et partenaire).'),
      list, add);
  };

  // ---- Territorial actions -----------------------------------------------------------------
  const actionList = h('ol', { class: 'expert-rows action-rows' });
  let actionRows = [];
  let actionCounter = 0;
  const addAction = ui.button('Ajouter une action', { kind: 'secondary', size: 'sm', icon: 'add-line', onclick: () => addActionRow(true) });
  const addActionRow = (focus) => {
    actionCounter += 1;
    const n = actionCounter;
    const title = h('input', { id: `action-title-${n}`, type: 'text', maxlength: '300', autocomplete: 'off' });
    const year = h('input', { id: `action-year-${n}`, type: 'number', min: '1950', max: '2100', step: '1', inputmode: 'numeric' });
    const description = h('textarea', { id: `action-description-${n}`, rows: '2', maxlength: '5000' });
    const row = { title, year, description };
    const titleField = ui.field('Intitulé de l’action', title, { class: 'grow' });
    const yearField = ui.field('Année', year, { class: 'year' });
    const descriptionField = ui.field('Description', description);
    row.node = h('li', { class: 'action-row' },
      h('div', { class: 'row' }, titleField, yearField),
      descriptionField,
      ui.button('Retirer', { kind: 'tertiary', size: 'sm', icon: 'delete-line', 'aria-label': `Retirer l'action ${n}`, onclick: () => {
        actionRows = actionRows.filter((one) => one !== row);
        row.node.remove();
        addAction.focus();
      } }));
    row.empty = () => !title.value.trim() && !year.value.trim() && !description.value.trim();
    row.value = () => ({ title: title.value.trim(), year: year.value === '' ? null : Number(year.value), description: description.value.trim() });
    // Slots filled by index at submit time (rows may have been removed).
    row.slots = { title: titleField.error, year: yearField.error, description: descriptionField.error };
    actionRows.push(row);
    actionList.append(row.node);
    if (focus) title.focus();
  };
  const actionsBox = h('fieldset', { class: 'fr-fieldset application-actions', id: 'application-actions' },
    h('legend', { class: 'fr-fieldset__legend' }, 'Actions territoriales',
      h('span', { class: 'fr-hint-text' }, 'Les actions menées sur votre territoire qui appuient la demande (facultatif).')),
    h('div', { class: 'fr-fieldset__element' }, actionList, addAction));
  const actionsError = fieldsetSlot(actionsBox, /^\/territorial_actions$/);

  // ---- Documents and submit ----------------------------------------------------------------
  const documents = documentsField(session, 'application-documents', 'Pièces justificatives (facultatif)');
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const submit = ui.button(renews.length > 0 ? 'Demander le renouvellement' : 'Déposer la candidature', { type: 'submit' });

  const slotsForRows = (error) => {
    let placed = false;
    cooperationRows.forEach((row, index) => {
      row.error.clear();
      const mine = (error.fields || []).filter((field) => new RegExp(`^/cooperations/${index}(/.*)?$`).test(field.pointer || ''));
      if (mine.length) {
        row.error.say(mine.map((field) => `${field.label} : ${field.message}`).join(' ; '));
        placed = true;
      }
    });
    const sentActions = actionRows.filter((row) => !row.empty());
    sentActions.forEach((row, index) => {
      for (const name of ['title', 'year', 'description']) {
        const mine = (error.fields || []).filter((field) => field.pointer === `/territorial_actions/${index}/${name}`
          || (name === 'title' && field.pointer === `/territorial_actions/${index}`));
        if (mine.length) {
          row.slots[name].say(mine.map((field) => `${field.label} : ${field.message}`).join(' ; '));
          placed = true;
        }
      }
    });
    return placed;
  };

  const form = h('form', { class: 'card application-form', novalidate: true, 'aria-labelledby': 'application-title', onsubmit: async (event) => {
    event.preventDefault();
    const slots = [authorityError, renewError, themesError, evidenceError, cooperationsError, actionsError, sirenSlot, languagesSlot, capacitySlot].filter(Boolean);
    slots.forEach((slot) => slot.clear());
    cooperationRows.forEach((row) => row.error.clear());
    actionRows.forEach((row) => Object.values(row.slots).forEach((slot) => slot.clear()));
    fill(status);
    if (!documents.check()) return;
    const body = {
      themes: chosenThemes(),
      evidence: evidence.value,
      cooperations: cooperationsFrom === 'record'
        ? cooperationRows.filter((row) => row.box.checked).map((row) => row.value())
        : cooperationRows.filter((row) => !row.empty()).map((row) => row.value()),
      territorial_actions: actionRows.filter((row) => !row.empty()).map((row) => row.value()),
      renews: renews.length > 0 ? renews : null,
    };
    // None chosen: not sent, so that the API's refusal says it is required.
    if (!own && authoritySelect.value) body.collectivite = authoritySelect.value;
    else if (!own && official) {
      body.siren = official.siren;
      body.languages = languagesInput.value.split(',').map((code) => code.trim()).filter(Boolean);
      body.capacity_per_year = Number(capacityInput.value);
    }
    submit.disabled = true;
    let application;
    try {
      application = await api.post('/v1/label-applications', body);
    } catch (error) {
      submit.disabled = false;
      const placed = [...slots.map((slot) => slot.show(error)), slotsForRows(error)].some(Boolean);
      if (!placed) fill(status, session.errorBox(error, 'Candidature non déposée'));
      else fill(status, ui.alert('error', null, h('p', {}, 'Candidature non déposée : corrigez les champs signalés.')));
      const invalid = form.querySelector('[aria-invalid="true"]');
      if (invalid && invalid.focus) invalid.focus();
      return;
    }
    const link = h('a', { href: `#/candidature/${encodeURIComponent(application.id)}` }, 'Voir la candidature');
    if (documents.files().length > 0) {
      ui.announce(status, 'info', 'Candidature déposée. Envoi des documents…');
      try {
        await documents.send(application.id);
      } catch {
        fill(status, ui.alert('warning', null, h('p', { role: 'alert' }, 'Candidature déposée, mais un document a été refusé (voir ci-dessus). ',
          'Joignez-le de nouveau depuis la page de la candidature. ', link)));
        return;
      }
    }
    const said = `Candidature déposée pour ${application.collectivite_name || application.collectivite}.`;
    session.toast(said);
    announceOnNextApplication(application.id, said);
    location.hash = `#/candidature/${encodeURIComponent(application.id)}`;
  } },
  h('h2', { id: 'application-title', class: 'fr-sr-only' }, 'Formulaire de candidature'),
  authorityField, officialField, renewNotice, renewError.slot,
  themesBox,
  evidenceField,
  cooperationsBox,
  actionsBox,
  documents.node,
  ui.buttonsGroup(submit, ui.buttonLink('Annuler', own ? '#/' : '#/candidatures', { kind: 'secondary' })),
  status);

  if (authoritySelect) {
    authoritySelect.addEventListener('change', () => {
      authorityError.clear();
      if (authoritySelect.value && official) {
        official = null;
        officialExtra.hidden = true;
        fill(officialChosen);
      }
      showRenewal();
      showCooperations();
    });
  }
  showRenewal();
  showCooperations();

  fill(main,
    h('div', { class: 'page-head' },
      h('p', { class: 'breadcrumb' }, own ? backLink('Mon espace collectivité', '#/') : backLink('Candidatures', '#/candidatures')),
      h('h1', {}, renews.length > 0 ? 'Demander le renouvellement d’un label' : 'Demander un label'),
      h('p', { class: 'muted' }, own
        ? 'Votre demande est examinée par la DAECT, qui peut vous demander des informations complémentaires.'
        : 'Déposer une candidature au nom d’une collectivité ; elle suit ensuite le même examen.')),
    form);
  (own ? evidence : authoritySelect).focus();
}
