// « Mon espace collectivité »: what a collectivité's key sees. The proposals waiting for its
// answer (GET /v1/proposals?status=waiting, POST .../accept, POST .../decline with a reason),
// the past ones, its missions (GET /v1/missions, PUT /v1/needs/{id}/mission with dates and
// experts, and each mission's report: report.js) and its labels (GET /v1/collectivites/{own id}).
import { h, fill } from './dom.js';
import * as ui from './ui.js';
import {
  FEATURES, FEATURE_LABELS, KIND_LABELS, STATUS_LABELS,
  countryName, formatDate, formatDateTime, formatPeriod, languageName, plural, today,
} from './format.js';
import { loadThemes, themeLabel } from './inbox.js';
import { proposalStatusTag } from './proposals.js';
import { authorityReportSection } from './report.js';
import { authorityApplicationsSection, authorityExpiringSection } from './candidatures.js';

// DSFR's badge kind for a need's status, as the authority sees its missions.
const NEED_STATUS_KINDS = { assigned: 'info', in_mission: 'info', report_due: 'warning', closed: 'success', cancelled: null };

export async function renderAuthority(main, session, stillCurrent) {
  const { api } = session;
  // Says what an answer or a save did (a polite live region, kept across the refreshes of the
  // lists below so that screen readers hear each result).
  const announce = h('div', { class: 'authority-status', role: 'status', 'aria-live': 'polite' });
  const waitingArea = h('section', { class: 'card', 'aria-labelledby': 'waiting-title', id: 'waiting' });
  const pastArea = h('section', { class: 'card', 'aria-labelledby': 'past-title', id: 'past' });
  const missionsArea = h('section', { class: 'card', 'aria-labelledby': 'missions-title', id: 'missions' });
  const labelsArea = h('section', { class: 'card', 'aria-labelledby': 'labels-title', id: 'labels' });
  const title = h('h1', {}, 'Mon espace collectivité');
  fill(main,
    h('div', { class: 'page-head' }, title,
      h('p', { class: 'muted' }, 'Les propositions de mission de la DAECT, vos missions, vos labels et vos candidatures au label.')),
    announce,
    // With the label applications and the labels to renew (candidatures.js).
    h('div', { class: 'authority-grid' },
      h('div', {}, waitingArea, missionsArea, authorityApplicationsSection(session)),
      h('div', {}, labelsArea, authorityExpiringSection(session), pastArea)));

  const themes = await loadThemes(api).catch(() => []);
  let me = null;
  try {
    me = await api.get(`/v1/collectivites/${encodeURIComponent(session.collectivite)}`);
  } catch (error) {
    if (stillCurrent()) fill(labelsArea, h('h2', { id: 'labels-title' }, 'Mes labels'), session.errorBox(error, 'Collectivité introuvable'));
  }
  if (!stillCurrent()) return;
  if (me) {
    fill(title, `Mon espace collectivité — ${me.name}`);
    showLabels(me);
  }

  const say = (message) => ui.announce(announce, 'success', message);
  const refresh = async () => {
    await Promise.all([showProposals(), showMissions()]);
  };

  function showLabels(collectivite) {
    const day = today();
    fill(labelsArea,
      h('h2', { id: 'labels-title' }, 'Mes labels'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Collectivité'), h('dd', {}, collectivite.name, h('span', { class: 'muted' }, ` (${collectivite.id})`)),
        h('dt', {}, 'Type'), h('dd', {}, `${KIND_LABELS[collectivite.kind] || collectivite.kind} · ${collectivite.region}`),
        h('dt', {}, 'Capacité par an'), h('dd', { class: 'capacity' }, plural(collectivite.capacity_per_year, 'mission')),
        h('dt', {}, 'Langues de travail'), h('dd', {}, (collectivite.languages || []).map(languageName).join(', ') || '—')),
      collectivite.labels.length === 0
        ? h('p', { class: 'muted' }, 'Aucun label enregistré.')
        : h('ul', { class: 'labels-list' }, collectivite.labels.map((label) => {
          const valid = label.since <= day && (!label.until || label.until >= day);
          return h('li', { 'data-theme': label.theme },
            ui.tag(themeLabel(themes, label.theme)),
            h('div', { class: 'label-period' },
              label.until ? `du ${formatDate(label.since)} au ${formatDate(label.until)}` : `depuis le ${formatDate(label.since)}`,
              ui.badge(valid ? 'Valide' : 'Hors validité', valid ? 'success' : 'warning')));
        })));
  }

  // ---- Proposals --------------------------------------------------------------------------

  async function showProposals() {
    let page;
    try {
      page = await api.get('/v1/proposals?limit=200');
    } catch (error) {
      if (stillCurrent()) fill(waitingArea, h('h2', { id: 'waiting-title' }, 'Propositions à traiter'), session.errorBox(error, 'Propositions introuvables'));
      return;
    }
    if (!stillCurrent()) return;
    const waiting = page.items.filter((proposal) => proposal.status === 'waiting');
    const past = page.items.filter((proposal) => proposal.status !== 'waiting');
    fill(waitingArea,
      h('h2', { id: 'waiting-title' }, 'Propositions à traiter'),
      waiting.length === 0
        ? h('p', { class: 'empty' }, 'Aucune proposition en attente de votre réponse.')
        : h('ul', { class: 'proposal-cards' }, waiting.map(waitingCard)));
    fill(pastArea,
      h('h2', { id: 'past-title' }, 'Propositions passées'),
      past.length === 0
        ? h('p', { class: 'muted' }, 'Aucune proposition passée.')
        : h('ul', { class: 'past-proposals' }, past.map((proposal) => h('li', { 'data-proposal': proposal.id },
          h('div', { class: 'proposal-head' }, h('strong', {}, needTitle(proposal)), ' ', proposalStatusTag(proposal)),
          h('p', { class: 'muted fr-text--sm' }, proposal.answered_at
            ? `Réponse le ${formatDateTime(proposal.answered_at)}`
            : `Réponse attendue avant le ${formatDate(proposal.respond_by)}`),
          proposal.reason && h('blockquote', { class: 'proposal-reason' }, proposal.status === 'declined' ? `Votre motif : ${proposal.reason}` : proposal.reason)))));
  }

  function needTitle(proposal) {
    const need = proposal.need_summary || {};
    const partner = need.partner && need.partner.name ? need.partner.name : proposal.need;
    return `${partner} — ${need.country_name || countryName(need.country || '')}`;
  }

  // « Pourquoi vous ? », as a DSFR callout: the rank and each criterion's reason.
  function whyBlock(why) {
    if (!why) return null;
    if (why.plan) {
      const assigned = why.assigned && typeof why.assigned === 'object' && why.assigned.score !== undefined
        ? ` (score ${why.assigned.score.toLocaleString('fr-FR', { maximumFractionDigits: 3 })})` : '';
      return h('div', { class: 'fr-callout why' }, h('h4', { class: 'fr-callout__title fr-h6' }, 'Pourquoi vous ?'),
        h('p', { class: 'fr-callout__text' }, `Votre collectivité a été retenue par l'affectation par lot de la DAECT (plan ${why.plan})${assigned}, qui répartit les besoins de la période selon les capacités de chaque collectivité.`));
    }
    const reasons = why.reasons || {};
    return h('div', { class: 'fr-callout why' }, h('h4', { class: 'fr-callout__title fr-h6' }, 'Pourquoi vous ?'),
      why.rank && h('p', { class: 'why-rank' }, `Rang ${why.rank} sur ${plural(why.eligible || why.rank, 'collectivité éligible', 'collectivités éligibles')} pour ce besoin.`),
      h('ul', { class: 'reasons' }, FEATURES.filter((feature) => reasons[feature]).map((feature) =>
        h('li', {}, h('strong', {}, `${FEATURE_LABELS[feature]} : `), reasons[feature]))));
  }

  function needFacts(need) {
    return h('dl', { class: 'facts' },
      h('dt', {}, 'Pays'), h('dd', {}, need.country_name || countryName(need.country)),
      h('dt', {}, 'Partenaire'), h('dd', {}, (need.partner && need.partner.name) || '—'),
      h('dt', {}, 'Thèmes'), h('dd', {}, ui.tagsGroup((need.themes || []).map((theme) => theme.label || themeLabel(themes, theme.theme)))),
      h('dt', {}, 'Période'), h('dd', {}, formatPeriod(need.period)),
      need.experts_needed !== undefined && [h('dt', {}, 'Experts demandés'), h('dd', {}, String(need.experts_needed))],
      need.languages !== undefined && [h('dt', {}, 'Langues de travail'), h('dd', {}, need.languages.length ? need.languages.map(languageName).join(', ') : 'Indifférentes')]);
  }

  function waitingCard(proposal) {
    const need = proposal.need_summary || {};
    const slot = h('div', { class: 'answer-slot' });
    const accept = ui.button('Accepter', { icon: 'check-line', onclick: () => answer(proposal, 'accept', accept) });
    const decline = ui.button('Décliner', { kind: 'secondary', icon: 'close-line', onclick: () => openDecline(slot, proposal) });
    return h('li', { class: 'card proposal-card', 'data-proposal': proposal.id, 'aria-labelledby': `proposal-${proposal.id}-title` },
      h('h3', { id: `proposal-${proposal.id}-title`, class: 'fr-h5' }, needTitle(proposal)),
      h('p', { class: 'respond-by fr-icon-time-line' }, `Réponse attendue avant le ${formatDate(proposal.respond_by)}`),
      needFacts(need),
      need.description && h('p', { class: 'description' }, need.description),
      proposal.message && h('div', { class: 'daect-message' }, h('h4', { class: 'fr-h6' }, 'Message de la DAECT'), h('blockquote', {}, proposal.message)),
      whyBlock(proposal.why),
      h('div', { class: 'answer-actions', role: 'group', 'aria-label': 'Votre réponse' }, ui.buttonsGroup(accept, decline)),
      slot);
  }

  async function answer(proposal, verb, button, body) {
    button.disabled = true;
    try {
      await api.post(`/v1/proposals/${encodeURIComponent(proposal.id)}/${verb}`, body || {});
      say(verb === 'accept'
        ? `Proposition acceptée : la mission « ${needTitle(proposal)} » vous est attribuée. Renseignez vos experts dans « Mes missions ».`
        : `Proposition déclinée : « ${needTitle(proposal)} ». La DAECT est prévenue.`);
      await refresh();
      return null;
    } catch (error) {
      button.disabled = false;
      return error;
    }
  }

  function openDecline(slot, proposal) {
    const reason = h('textarea', { id: `decline-reason-${proposal.id}`, rows: '3', maxlength: '2000', required: true });
    const reasonField = ui.field('Motif du refus (obligatoire)', reason, { pointer: '/reason' });
    const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
    const confirm = ui.button('Confirmer le refus', { type: 'submit' });
    fill(slot, h('form', { class: 'decline-form', 'aria-label': `Décliner : ${needTitle(proposal)}`, novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      reasonField.error.clear();
      fill(status);
      const error = await answer(proposal, 'decline', confirm, { reason: reason.value });
      if (!error) return;
      if (!reasonField.error.show(error)) fill(status, session.errorBox(error, 'Refus non enregistré'));
      reason.focus();
    } },
    reasonField,
    ui.buttonsGroup(confirm, ui.button('Annuler', { kind: 'secondary', onclick: () => fill(slot) })),
    status));
    reason.focus();
  }

  // ---- Missions ---------------------------------------------------------------------------

  async function showMissions() {
    let page;
    try {
      page = await api.get('/v1/missions?limit=200');
    } catch (error) {
      if (stillCurrent()) fill(missionsArea, h('h2', { id: 'missions-title' }, 'Mes missions'), session.errorBox(error, 'Missions introuvables'));
      return;
    }
    if (!stillCurrent()) return;
    fill(missionsArea,
      h('h2', { id: 'missions-title' }, 'Mes missions'),
      page.items.length === 0
        ? h('p', { class: 'empty' }, 'Aucune mission pour le moment : une proposition acceptée devient une mission.')
        : h('ul', { class: 'mission-cards' }, page.items.map(missionCard)));
  }

  function missionCard(item) {
    const need = item.need;
    const mission = item.mission || {};
    const key = need.id.replace(/[^a-zA-Z0-9_-]/g, '_');
    const start = h('input', { id: `mission-start-${key}`, type: 'date', required: true, value: mission.start || need.period.start });
    const end = h('input', { id: `mission-end-${key}`, type: 'date', required: true, value: mission.end || need.period.end });
    const startField = ui.field('Début de la mission', start, { pointer: '/start' });
    const endField = ui.field('Fin de la mission', end, { pointer: '/end' });
    const rows = h('ol', { class: 'expert-rows' });
    let counter = 0;
    let addButton = null;
    const addRow = (expert = { name: '', function: '' }, focus = false) => {
      counter += 1;
      const n = counter;
      const name = h('input', { id: `expert-name-${key}-${n}`, type: 'text', maxlength: '200', required: true, value: expert.name, autocomplete: 'off' });
      const role = h('input', { id: `expert-function-${key}-${n}`, type: 'text', maxlength: '200', required: true, value: expert.function, autocomplete: 'off' });
      const row = h('li', { class: 'expert-row' },
        ui.field('Nom de l’expert', name),
        ui.field('Fonction', role),
        ui.button('Retirer', { kind: 'tertiary', size: 'sm', icon: 'delete-line', 'aria-label': `Retirer l'expert ${n}`, onclick: () => {
          row.remove();
          if (addButton) addButton.focus();
        } }));
      row.expert = () => ({ name: name.value.trim(), function: role.value.trim() });
      rows.append(row);
      if (focus) name.focus();
    };
    addButton = ui.button('Ajouter un expert', { kind: 'secondary', size: 'sm', icon: 'add-line', onclick: () => addRow(undefined, true) });
    for (const expert of mission.experts || []) addRow(expert);
    const experts = () => [...rows.children].map((row) => row.expert());
    const expertsBox = h('fieldset', { class: 'fr-fieldset experts-fieldset', id: `experts-${key}` },
      h('legend', { class: 'fr-fieldset__legend fr-fieldset__legend--regular' }, 'Experts envoyés'),
      h('div', { class: 'fr-fieldset__element' }, rows, addButton));
    const expertsError = ui.errorSlot(expertsBox, /^\/experts/);
    expertsBox.append(h('div', { class: 'fr-messages-group' }, expertsError.slot));
    const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
    const save = ui.button('Enregistrer la mission', { type: 'submit' });
    const due = item.report_due;
    return h('li', { class: 'card mission-card', 'data-need': need.id },
      h('h3', { class: 'fr-h5' }, `${(need.partner && need.partner.name) || need.id} — ${countryName(need.country)}`),
      h('div', { class: 'mission-status' }, ui.badge(STATUS_LABELS[need.status] || need.status, NEED_STATUS_KINDS[need.status] === undefined ? 'new' : NEED_STATUS_KINDS[need.status], { class: `status-${need.status}` }),
        ' ', h('span', { class: 'muted id' }, need.id)),
      h('p', { class: 'muted' }, `Période demandée : ${formatPeriod(need.period)}`),
      // Once the dates are recorded, the report's state is the report section's (kept current
      // as the document and summary are saved).
      !due && h('p', { class: 'report-due' }, 'Rapport attendu deux mois après la fin de la mission (enregistrez ses dates).'),
      h('form', { class: 'mission-form', 'aria-label': `Mission ${need.id}`, novalidate: true, onsubmit: async (event) => {
        event.preventDefault();
        startField.error.clear();
        endField.error.clear();
        expertsError.clear();
        fill(status);
        const list = experts();
        if (list.some((expert) => !expert.name || !expert.function)) {
          expertsError.say('Chaque expert a un nom et une fonction.');
          return;
        }
        save.disabled = true;
        try {
          await api.put(`/v1/needs/${encodeURIComponent(need.id)}/mission`, { start: start.value, end: end.value, experts: list });
          say(`Mission enregistrée : ${plural(list.length, 'expert')}, ${formatPeriod({ start: start.value, end: end.value })}.`);
          await showMissions();
        } catch (error) {
          save.disabled = false;
          const placed = [startField.error.show(error), endField.error.show(error), expertsError.show(error)].some(Boolean);
          if (!placed) fill(status, session.errorBox(error, 'Mission non enregistrée'));
        }
      } },
      h('div', { class: 'row' }, startField, endField),
      expertsBox,
      ui.buttonsGroup(save), status),
      authorityReportSection(session, item, say));
  }

  await refresh();
}
