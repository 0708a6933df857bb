// A need's page: its fields and decision history, the explained shortlist with live weights
// (POST /v1/match), the decision (POST .../decision), the mission (PUT .../mission) and the
// lifecycle moves (PATCH /v1/needs/{id}); the proposals to authorities (proposals.js) and the
// mission's report with DAECT's ratings (report.js).
import { h, fill, debounce } from './dom.js';
import { alert, announce, badge, button, buttonsGroup, checkbox, field, tag } from './ui.js';
import {
  FEATURES, FEATURE_LABELS, FILTER_LABELS, KIND_LABELS, STATUS_LABELS,
  countryName, languageName, formatDate, formatDateTime, formatInteger, formatNumber, formatPercent, formatPeriod, plural,
} from './format.js';
import { loadThemes, statusBadge, themeLabel } from './inbox.js';
import { openProposeForm, proposalHistory } from './proposals.js';
import { relatedReportsPanel } from './reports.js';
import { daectReportPanel } from './report.js';

const DECIDABLE = ['submitted', 'shortlisted', 'assigned'];
const PROPOSABLE = ['submitted', 'shortlisted'];
const WITH_MISSION = ['assigned', 'in_mission', 'report_due', 'closed'];

// The moves offered as buttons (PATCH status); "assigned" comes from a decision instead.
const MOVES = {
  submitted: [['shortlisted', 'Marquer présélectionné'], ['cancelled', 'Annuler le besoin']],
  shortlisted: [['submitted', 'Remettre en « soumis »'], ['cancelled', 'Annuler le besoin']],
  // Cancelling a proposed need withdraws its waiting proposal (the authority is told).
  proposed: [['cancelled', 'Annuler le besoin']],
  assigned: [['in_mission', 'Passer en mission'], ['shortlisted', 'Retirer la décision'], ['cancelled', 'Annuler le besoin']],
  in_mission: [['report_due', 'Marquer « rapport attendu »'], ['closed', 'Clore'], ['cancelled', 'Annuler le besoin']],
  report_due: [['closed', 'Clore']],
};

// Names of authorities met on the page (candidates, excluded, fetched).
const names = new Map();
async function collectiviteName(session, id) {
  if (names.has(id)) return names.get(id);
  if (!session.can('readCollectivites')) return id;
  try {
    const collectivite = await session.api.get(`/v1/collectivites/${encodeURIComponent(id)}`);
    names.set(id, collectivite.name);
    return collectivite.name;
  } catch {
    return id;
  }
}

// « Thèmes à confirmer : Gestion des déchets, … » for a need submitted without themes.
function themesToConfirm(suggested) {
  const labels = (suggested || []).map((suggestion) => suggestion.label || suggestion.theme);
  return labels.length > 0
    ? `Thèmes à confirmer : ${labels.join(', ')}`
    : 'Thèmes à confirmer : aucun thème reconnu dans la description';
}

// A need without themes cannot be ranked: what the API suggests, and for DAECT the form that
// confirms them (PATCH /v1/needs/{id}).
function confirmThemesPanel(session, need, suggested, reload) {
  const status = h('div', { 'aria-live': 'polite' });
  const boxes = (suggested || []).map((suggestion) => {
    const id = `confirm-theme-${suggestion.theme.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
    const box = h('input', { id, name: 'confirm-theme', value: suggestion.theme });
    return { theme: suggestion.theme, box,
      group: checkbox(`${suggestion.label || suggestion.theme} (${formatNumber(suggestion.score)})`, box) };
  });
  const submit = button('Confirmer les thèmes cochés', { type: 'submit' });
  const canConfirm = session.can('confirmThemes') && DECIDABLE.includes(need.status) && boxes.length > 0;
  return h('div', { class: 'themes-to-confirm' },
    h('div', { class: 'fr-alert fr-alert--info fr-alert--sm notice' }, h('p', {}, themesToConfirm(suggested))),
    h('p', { class: 'muted' }, canConfirm
      ? 'Ce besoin a été soumis sans thèmes : confirmez-les pour obtenir le classement des collectivités.'
      : 'Ce besoin a été soumis sans thèmes : le classement sera proposé quand la DAECT les aura confirmés.'),
    canConfirm && h('form', { class: 'confirm-themes', onsubmit: async (event) => {
      event.preventDefault();
      const chosen = boxes.filter((one) => one.box.checked).map((one) => ({ theme: one.theme }));
      if (chosen.length === 0) {
        fill(status, alert('error', null, h('p', {}, 'Cochez au moins un thème.')));
        return;
      }
      submit.disabled = true;
      try {
        await session.api.patch(`/v1/needs/${encodeURIComponent(need.id)}`, { themes: chosen });
        session.toast('Thèmes confirmés');
        await reload();
      } catch (error) {
        submit.disabled = false;
        fill(status, session.errorBox(error, 'Thèmes non confirmés'));
      }
    } },
    h('fieldset', { class: 'fr-fieldset' }, h('legend', { class: 'fr-fieldset__legend fr-fieldset__legend--regular' }, 'Thèmes proposés'),
      boxes.map((one) => h('div', { class: 'fr-fieldset__element' }, one.group))),
    submit, status));
}

export async function renderNeed(main, session, id, stillCurrent) {
  const { api } = session;
  fill(main, h('p', { class: 'loading' }, 'Chargement du besoin…'));
  const [need, themes] = await Promise.all([api.get(`/v1/needs/${encodeURIComponent(id)}`), loadThemes(api)]);
  const ids = new Set([need.selected, ...need.decisions.map((decision) => decision.collectivite),
    ...(need.proposals || []).map((proposal) => proposal.collectivite)].filter(Boolean));
  await Promise.all([...ids].map((one) => collectiviteName(session, one)));
  if (!stillCurrent()) return;

  const reload = () => renderNeed(main, session, id, stillCurrent);
  const nameOf = (one) => names.get(one) || one;

  const facts = h('dl', { class: 'facts' },
    h('dt', {}, 'Pays'), h('dd', {}, countryName(need.country)),
    h('dt', {}, 'Partenaire'), h('dd', {}, need.partner.name, need.partner.id && h('span', { class: 'muted' }, ` (${need.partner.id})`)),
    h('dt', {}, 'Période'), h('dd', {}, formatPeriod(need.period)),
    h('dt', {}, 'Thèmes'), h('dd', {}, need.themes.length === 0
      ? h('span', { class: 'to-confirm' }, themesToConfirm(need.suggested_themes))
      : h('ul', { class: 'fr-tags-group' }, need.themes.map((theme) =>
        h('li', {}, tag(`${themeLabel(themes, theme.theme)} · ${formatPercent(theme.weight)}`))))),
    h('dt', {}, 'Langues de travail'), h('dd', {}, need.languages.length ? need.languages.map(languageName).join(', ') : 'Indifférentes'),
    h('dt', {}, 'Experts demandés'), h('dd', {}, String(need.experts_needed)),
    h('dt', {}, 'Soumis le'), h('dd', {}, formatDate(need.submitted_at)),
    need.selected && [h('dt', {}, 'Collectivité retenue'), h('dd', { class: 'selected-name' }, nameOf(need.selected))],
    need.excluded.length > 0 && [h('dt', {}, "Conflits d'intérêts déclarés"), h('dd', {}, need.excluded.map(nameOf).join(', '))]);

  const history = h('section', { class: 'card', 'aria-labelledby': 'history-title', id: 'history' },
    h('h2', { id: 'history-title' }, 'Historique des décisions'),
    need.decisions.length === 0
      ? h('p', { class: 'muted' }, 'Aucune décision enregistrée.')
      : h('ol', { class: 'decisions' }, need.decisions.map((decision) => h('li', {},
        h('strong', {}, nameOf(decision.collectivite)), ` — le ${formatDateTime(decision.decided_at)}, par la clé ${decision.decided_by}`,
        decision.note && h('blockquote', {}, decision.note)))));

  const moves = session.can('changeStatus') && MOVES[need.status]
    ? h('div', { class: 'actions', role: 'group', 'aria-label': 'Changer le statut' }, MOVES[need.status].map(([status, label]) =>
      button(label, { kind: status === 'cancelled' ? 'tertiary' : 'secondary', size: 'sm', icon: status === 'cancelled' ? 'close-circle-line' : null, onclick: async (event) => {
        if (status === 'cancelled' && !window.confirm('Annuler ce besoin ? Il ne pourra plus être attribué.')) return;
        event.target.disabled = true;
        try {
          await api.patch(`/v1/needs/${encodeURIComponent(need.id)}`, { status });
          session.toast(`Statut : ${STATUS_LABELS[status]}`);
          await reload();
        } catch (error) {
          event.target.disabled = false;
          moveStatus.replaceChildren(session.errorBox(error, 'Changement de statut refusé'));
        }
      } })))
    : null;
  const moveStatus = h('div', { 'aria-live': 'polite' });

  const shortlist = h('section', { class: 'card shortlist', 'aria-labelledby': 'shortlist-title' });

  fill(main,
    h('p', { class: 'breadcrumb' }, h('a', { class: 'fr-link fr-icon-arrow-left-line fr-link--icon-left', href: '#/' }, 'Tous les besoins')),
    h('div', { class: 'page-head' },
      h('h1', {}, `${need.partner.name} — ${countryName(need.country)}`),
      h('div', { class: 'need-status' }, statusBadge(need.status), ' ', h('span', { class: 'muted id' }, need.id))),
    h('div', { class: 'need-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'need-title' },
        h('h2', { id: 'need-title' }, 'Le besoin'),
        h('p', { class: 'description' }, need.description || 'Pas de description.'),
        facts,
        moves, moveStatus),
      h('div', { class: 'side' },
        history,
        proposalHistory(session, need, nameOf, reload),
        session.can('recordMission') && need.selected && WITH_MISSION.includes(need.status) && missionForm(session, need, nameOf(need.selected), reload),
        session.can('readReport') && need.mission && daectReportPanel(session, need))),
    shortlist,
    relatedReportsPanel(session, need));

  await renderShortlist(shortlist, session, need, reload, stillCurrent);
}

function missionForm(session, need, selectedName, reload) {
  // Prefilled with the mission as last recorded (GET /v1/needs/{id} gives it), else the period.
  const recorded = need.mission || {};
  const start = h('input', { id: 'mission-start', type: 'date', required: true, value: recorded.start || need.period.start });
  const end = h('input', { id: 'mission-end', type: 'date', required: true, value: recorded.end || need.period.end });
  const report = h('input', { id: 'mission-report', type: 'date', value: recorded.report_delivered || '' });
  const rating = h('select', { id: 'mission-rating' },
    h('option', { value: '' }, 'Pas encore notée'),
    [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n), selected: recorded.rating === n }, `${n} / 5`)));
  const status = h('div', { 'aria-live': 'polite' });
  const submit = button('Enregistrer la mission', { type: 'submit' });
  // The API's problems shown under the fields they name (PUT .../mission's pointers).
  const groups = [
    field('Début', start, { pointer: '/start' }),
    field('Fin', end, { pointer: '/end' }),
    field('Rapport remis le', report, { pointer: '/report_delivered', hint: 'Vide tant que le rapport n’est pas remis (attendu deux mois après la fin).' }),
    field('Note du partenaire', rating, { pointer: '/rating' }),
  ];
  return h('form', { class: 'card mission', 'aria-labelledby': 'mission-title', onsubmit: async (event) => {
    event.preventDefault();
    submit.disabled = true;
    for (const group of groups) group.error.clear();
    const body = { start: start.value, end: end.value, report_delivered: report.value || null, rating: rating.value ? Number(rating.value) : null };
    try {
      const outcome = await session.api.put(`/v1/needs/${encodeURIComponent(need.id)}/mission`, body);
      session.toast(`Mission enregistrée ; statut du besoin : ${STATUS_LABELS[outcome.need.status] || outcome.need.status}`);
      await reload();
    } catch (error) {
      submit.disabled = false;
      fill(status, session.errorBox(error, 'Mission non enregistrée'));
      const shown = groups.filter((group) => group.error.show(error));
      if (shown.length > 0) shown[0].querySelector('input, select').focus();
    }
  } },
  h('h2', { id: 'mission-title' }, 'Mission'),
  h('p', { class: 'muted' }, `Mission de ${selectedName}. Enregistrer à nouveau remplace les dates, la remise du rapport et la note.`),
  h('div', { class: 'row' }, groups[0], groups[1]),
  h('div', { class: 'row' }, groups[2], groups[3]),
  submit, status);
}

// ---- Shortlist ------------------------------------------------------------------------------

// A score bar's text alternative: « Score 0,820 : adéquation thématique 0,400, présence dans le
// pays 0,200, … » — every criterion, in the legend's order, with the figures the page shows.
export function barText(score, contributions) {
  const byFeature = new Map(contributions.map((c) => [c.feature, c.contribution]));
  const parts = FEATURES.filter((feature) => byFeature.has(feature)).map((feature) => {
    const label = FEATURE_LABELS[feature];
    return `${label.charAt(0).toLowerCase()}${label.slice(1)} ${formatNumber(byFeature.get(feature), 3)}`;
  });
  return `Score ${formatNumber(score, 3)} : ${parts.join(', ') || 'aucune contribution'}`;
}

function sameWeights(a, b) {
  return FEATURES.every((feature) => Math.abs((a[feature] ?? 0) - (b[feature] ?? 0)) < 1e-9);
}

async function renderShortlist(section, session, need, reload, stillCurrent) {
  const { api } = session;
  const state = {
    profile: 'default',
    version: null, // latest
    profileWeights: null,
    weights: null,
    k: 10,
    sent: 0, // the sequence number of the last request sent
    shown: 0, // the sequence number of the response shown
    response: null,
    choosing: null, // the candidate whose decision form is open
    catchUp: 0, // retries while a need's new themes reach the ranking
  };
  let profiles = [];
  if (session.can('readProfiles')) {
    try {
      profiles = (await api.get('/v1/profiles')).items;
    } catch {
      profiles = [];
    }
  }

  const profileSelect = h('select', { id: 'profile', onchange: () => chooseProfile(profileSelect.value, null) },
    (profiles.length ? profiles : [{ name: 'default', version: 1 }]).map((profile) =>
      h('option', { value: profile.name }, profile.name)));
  const versionSelect = h('select', { id: 'profile-version', onchange: () => chooseProfile(state.profile, versionSelect.value ? Number(versionSelect.value) : null) });
  const kSelect = h('select', { id: 'k', onchange: () => { state.k = Number(kSelect.value); announceNext = true; run(); } },
    [5, 10, 20, 50].map((k) => h('option', { value: String(k), selected: k === 10 }, String(k))));
  const sliders = h('div', { class: 'sliders' });
  const modified = h('p', { class: 'modified', 'aria-live': 'polite' });
  const resetButton = button('Revenir aux poids du profil', { kind: 'secondary', size: 'sm', icon: 'refresh-line', disabled: true, onclick: () => {
    state.weights = { ...state.profileWeights };
    buildSliders();
    announceNext = true;
    run();
  } });
  const saveArea = h('div', { class: 'save-profile' });
  // The ranking itself is not a live region (it would be read in full at each move); what a
  // move changed is said once, in a sentence, in `rankingNews` (see announceRanking).
  const results = h('div', { class: 'results', 'aria-busy': 'false' });
  const rankingNews = h('div', { class: 'fr-sr-only ranking-news', id: 'ranking-news', 'aria-live': 'polite', 'aria-atomic': 'true' });
  let announceNext = false;
  const excludedArea = h('div', { class: 'excluded' });
  const legend = h('ul', { class: 'legend', 'aria-label': 'Légende des contributions' },
    FEATURES.map((feature) => h('li', {}, h('span', { class: `swatch f-${feature}`, 'aria-hidden': 'true' }), FEATURE_LABELS[feature])));

  fill(section,
    h('h2', { id: 'shortlist-title' }, 'Collectivités proposées'),
    h('div', { class: 'shortlist-grid' },
      h('div', { class: 'weights-panel' },
        session.can('readProfiles') && field('Profil de pondération', profileSelect),
        session.can('readProfiles') && field('Version', versionSelect),
        field('Candidats affichés', kSelect),
        h('fieldset', { class: 'fr-fieldset weights' },
          h('legend', { class: 'fr-fieldset__legend' }, 'Poids des critères'),
          sliders),
        modified,
        h('div', { class: 'actions' }, resetButton),
        saveArea),
      h('div', { class: 'ranking-panel' }, legend, rankingNews, results, excludedArea)));

  async function loadVersions() {
    if (!session.can('readProfiles')) return;
    try {
      const detail = await api.get(`/v1/profiles/${encodeURIComponent(state.profile)}`);
      fill(versionSelect,
        h('option', { value: '' }, `Dernière (v${detail.version})`),
        [...detail.versions].reverse().map((version) => h('option', { value: String(version.version), selected: version.version === state.version },
          `v${version.version} — ${formatDateTime(version.created_at)}`)));
    } catch (error) {
      fill(versionSelect, h('option', { value: '' }, 'Dernière'));
    }
  }

  // One DSFR range per criterion (fr-range-group: its JS draws the filled track and the value
  // bubble). The value is also written in French (0,40) beside the label, in an <output>.
  function buildSliders() {
    const max = Math.max(1, ...FEATURES.map((feature) => Math.ceil(state.weights[feature] ?? 0)));
    fill(sliders, FEATURES.map((feature) => {
      const value = state.weights[feature] ?? 0;
      const id = `w-${feature}`;
      const output = h('output', { for: id, id: `${id}-value`, class: 'weight-value' }, formatNumber(value));
      const input = h('input', {
        id, type: 'range', min: '0', max: String(max), step: '0.01', value: String(value),
        'data-feature': feature, 'aria-valuetext': formatNumber(value),
      });
      input.addEventListener('input', () => {
        const weight = Number(input.value);
        state.weights = { ...state.weights, [feature]: weight };
        output.textContent = formatNumber(weight);
        input.setAttribute('aria-valuetext', formatNumber(weight));
        updateModified();
        announceNext = true;
        runSoon();
      });
      return h('div', { class: 'fr-fieldset__element slider' },
        h('div', { class: 'fr-range-group', id: `${id}-group` },
          h('label', { class: 'fr-label', for: id },
            h('span', { class: `swatch f-${feature}`, 'aria-hidden': 'true' }), FEATURE_LABELS[feature], output),
          h('div', { class: 'fr-range fr-range--sm' },
            h('span', { class: 'fr-range__output', 'aria-hidden': 'true' }, formatNumber(value)),
            input,
            h('span', { class: 'fr-range__min', 'aria-hidden': 'true' }, '0'),
            h('span', { class: 'fr-range__max', 'aria-hidden': 'true' }, formatInteger(max)))));
    }));
    updateModified();
  }

  function updateModified() {
    const changed = state.profileWeights && !sameWeights(state.weights, state.profileWeights);
    resetButton.disabled = !changed;
    modified.textContent = changed ? 'Poids modifiés : le classement ne suit plus le profil enregistré.' : `Poids du profil « ${state.profile} ».`;
    renderSave(changed);
  }

  function renderSave(changed) {
    if (!session.can('saveProfile') || !changed) {
      fill(saveArea);
      return;
    }
    if (saveArea.childElementCount > 0) return; // already offered: keep what was typed
    const description = h('input', { id: 'profile-description', type: 'text', maxlength: '500', placeholder: 'Pourquoi ces poids ?' });
    const status = h('div', { 'aria-live': 'polite' });
    const group = field('Description de la nouvelle version', description, { pointer: '/description' });
    fill(saveArea, h('form', { class: 'save-form', onsubmit: async (event) => {
      event.preventDefault();
      group.error.clear();
      try {
        const saved = await api.put(`/v1/profiles/${encodeURIComponent(state.profile)}`, { description: description.value, weights: state.weights });
        session.toast(`Version ${saved.version} du profil « ${saved.name} » enregistrée`);
        state.version = saved.version;
        state.profileWeights = { ...saved.weights };
        await loadVersions();
        updateModified();
        run();
      } catch (error) {
        group.error.show(error);
        fill(status, session.errorBox(error, 'Profil non enregistré'));
      }
    } },
    group,
    button(`Enregistrer comme nouvelle version de « ${state.profile} »`, { type: 'submit', size: 'sm' }),
    status));
  }

  async function chooseProfile(name, version) {
    state.profile = name;
    state.version = version;
    state.profileWeights = null;
    state.weights = null;
    announceNext = true;
    await loadVersions();
    await run();
  }

  const runSoon = debounce(() => run(), 150);

  // Sends a match; a response older than the one shown is dropped (responses may arrive out of order).
  async function run() {
    const sequence = ++state.sent;
    results.setAttribute('aria-busy', 'true');
    const body = { need_id: need.id, k: state.k, explain: true, include_excluded: true, profile: state.profile };
    if (state.version) body.profile_version = state.version;
    if (state.weights && state.profileWeights) {
      const override = {};
      for (const feature of FEATURES) if (state.weights[feature] !== state.profileWeights[feature]) override[feature] = state.weights[feature];
      if (Object.keys(override).length) body.weights = override;
    }
    let response;
    try {
      response = await api.post('/v1/match', body);
    } catch (error) {
      if (sequence < state.shown || !stillCurrent()) return;
      state.shown = sequence;
      results.setAttribute('aria-busy', 'false');
      const noThemes = error.status === 422 && (error.fields || []).some((field) => /^\/(need\/)?themes/.test(field.pointer || ''));
      if (noThemes && need.themes.length > 0 && state.catchUp < 20) {
        // Themes just confirmed: the ranking's copy of the catalogue catches up within moments.
        state.catchUp += 1;
        results.setAttribute('aria-busy', 'true');
        fill(results, h('p', { class: 'loading' }, 'Thèmes confirmés : mise à jour du classement…'));
        setTimeout(() => { if (stillCurrent()) run(); }, 500);
        return;
      }
      fill(results, noThemes
        ? confirmThemesPanel(session, need, (error.problem && error.problem.suggested_themes) || need.suggested_themes, reload)
        : session.errorBox(error, 'Classement impossible'));
      return;
    }
    if (sequence < state.shown || !stillCurrent()) return;
    state.shown = sequence;
    if (sequence === state.sent) results.setAttribute('aria-busy', 'false');
    state.response = response;
    // Said once per change: only for the answer to the last request sent (debounced moves).
    if (announceNext && sequence === state.sent) {
      announceNext = false;
      announceRanking(response);
    }
    if (!state.profileWeights) {
      // The first answer for a profile gives its weights.
      state.profileWeights = { ...response.profile.weights };
      state.weights = { ...response.profile.weights };
      buildSliders();
    }
    showRanking(response);
  }

  // « Classement mis à jour : 1re Lyon (0,820), 2e … ; 12 collectivités éligibles ».
  function announceRanking(response) {
    const top = response.candidates.slice(0, 3).map((candidate) =>
      `${candidate.rank === 1 ? '1re' : `${candidate.rank}e`} ${candidate.collectivite.name} (${formatNumber(candidate.score, 3)})`);
    const eligible = plural(response.eligible, 'collectivité éligible', 'collectivités éligibles');
    rankingNews.textContent = top.length > 0
      ? `Classement mis à jour : ${top.join(', ')} ; ${eligible}`
      : `Classement mis à jour : aucune collectivité ne passe les filtres ; ${eligible}`;
  }

  function showRanking(response) {
    const fullScale = FEATURES.reduce((sum, feature) => sum + (response.profile.weights[feature] || 0), 0) || 1;
    for (const candidate of response.candidates) names.set(candidate.collectivite.id, candidate.collectivite.name);
    const canDecide = session.can('decide') && DECIDABLE.includes(need.status);
    const canPropose = session.can('propose') && PROPOSABLE.includes(need.status);
    fill(results,
      h('p', { class: 'muted' }, `${plural(response.eligible, 'collectivité éligible', 'collectivités éligibles')} sur ${plural(response.considered, 'considérée')} — profil « ${response.profile.name} » v${response.profile.version}`),
      response.candidates.length === 0
        ? h('p', { class: 'empty' }, 'Aucune collectivité ne passe les filtres pour ce besoin.')
        : h('ol', { class: 'candidates' }, response.candidates.map((candidate) => {
          const contributions = candidate.explanation ? candidate.explanation.contributions : [];
          const isSelected = need.selected === candidate.collectivite.id;
          const decision = h('div', { class: 'decision-slot' });
          return h('li', { class: `candidate${isSelected ? ' is-selected' : ''}`, 'data-id': candidate.collectivite.id },
            h('div', { class: 'candidate-head' },
              h('span', { class: 'rank', 'aria-label': `Rang ${candidate.rank}` }, String(candidate.rank)),
              h('div', { class: 'who' },
                h('strong', { class: 'candidate-name' }, candidate.collectivite.name),
                h('span', { class: 'muted' }, ` ${KIND_LABELS[candidate.collectivite.kind] || candidate.collectivite.kind} · ${candidate.collectivite.region}`),
                isSelected && h('span', { class: 'flag ok' }, 'Retenue')),
              h('span', { class: 'score', title: 'Score : somme des contributions' }, formatNumber(candidate.score, 3))),
            // The bar's text alternative is one sentence on the bar (role="img"): a screen
            // reader reads it as one item where the candidate is, with the score and every
            // criterion in the legend's order; a hidden list would make six stops per candidate
            // and repeat the legend's names as list items without saying what they add up to.
            h('div', { class: 'bar', role: 'img', 'aria-label': barText(candidate.score, contributions) },
              contributions.map((c) => {
                const segment = h('span', { class: `segment f-${c.feature}`, title: `${FEATURE_LABELS[c.feature]} : ${formatNumber(c.contribution, 3)} (valeur ${formatNumber(c.value)} × poids ${formatNumber(c.weight)})` });
                segment.style.width = `${Math.max(0, (c.contribution / fullScale) * 100)}%`;
                return segment;
              })),
            candidate.explanation && candidate.explanation.reasons.length > 0 &&
              h('ul', { class: 'reasons' }, candidate.explanation.reasons.map((reason) => h('li', {}, reason))),
            (canDecide && !isSelected) || canPropose ? buttonsGroup(
              canDecide && !isSelected && button('Choisir cette collectivité', { kind: 'secondary', size: 'sm', class: 'choose',
                onclick: () => openDecision(decision, candidate) }),
              canPropose && button('Proposer', { size: 'sm', class: 'propose',
                onclick: () => openProposeForm(decision, session, need, candidate, reload) })) : null,
            decision);
        })));
    showExcluded(response.excluded);
  }

  function openDecision(slot, candidate) {
    const note = h('textarea', { id: `note-${candidate.collectivite.id}`, rows: '2', maxlength: '2000' });
    const status = h('div', { 'aria-live': 'polite' });
    const confirm = button('Confirmer la décision', { type: 'submit', size: 'sm' });
    const noteGroup = field('Note pour le dossier (facultative)', note, { pointer: '/note' });
    fill(slot, h('form', { class: 'decision-form', 'aria-label': `Décision : ${candidate.collectivite.name}`, onsubmit: async (event) => {
      event.preventDefault();
      confirm.disabled = true;
      noteGroup.error.clear();
      try {
        await api.post(`/v1/needs/${encodeURIComponent(need.id)}/decision`, { collectivite: candidate.collectivite.id, note: note.value });
        session.toast(`Décision enregistrée : ${candidate.collectivite.name}`);
        await reload();
        // The page is drawn again: the focus goes to the next step, the mission's dates, when
        // it is offered, else to the history that now shows the decision.
        const missionStart = document.getElementById('mission-start');
        const historyNode = document.getElementById('history');
        if (missionStart) {
          missionStart.focus();
        } else if (historyNode) {
          historyNode.setAttribute('tabindex', '-1');
          historyNode.focus();
        }
      } catch (error) {
        confirm.disabled = false;
        noteGroup.error.show(error);
        fill(status, session.errorBox(error, 'Décision non enregistrée'));
      }
    } },
    h('p', {}, `Attribuer ce besoin à ${candidate.collectivite.name} (score ${formatNumber(candidate.score, 3)}).`),
    noteGroup,
    buttonsGroup(confirm, button('Annuler', { kind: 'secondary', size: 'sm', onclick: () => fill(slot) })),
    status));
    note.focus();
  }

  function showExcluded(excluded) {
    const items = excluded.items || [];
    fill(excludedArea,
      h('h3', {}, `${plural(excluded.total, 'collectivité écartée', 'collectivités écartées')} par les filtres`),
      h('ul', { class: 'filters-list' }, Object.entries(FILTER_LABELS).map(([filter, label]) => {
        const count = excluded.by_filter[filter] || 0;
        const mine = items.filter((item) => item.filter === filter);
        if (count === 0) return h('li', { class: 'muted' }, `${label} : 0`);
        return h('li', {}, h('details', {},
          h('summary', {}, `${label} : ${count}`),
          h('ul', { class: 'excluded-names' }, mine.map((item) => h('li', {}, item.collectivite.name, h('span', { class: 'muted' }, ` — ${item.reason}`))))));
      })));
  }

  await loadVersions();
  await run();
}
