// « Mon espace collectivité »: what a collectivité's key sees. The proposals waiting for its
// answer (GET /v1/proposals?status=waiting, POST .../accept, POST .../decline with a reason),
// the past ones, its missions (GET /v1/missions, PUT /v1/needs/{id}/mission with dates and
// experts, and each mission's report: report.js) and its labels (GET /v1/collectivites/{own id}).
import { h, fill } from './dom.js';
import {
  FEATURES, FEATURE_LABELS, KIND_LABELS, STATUS_LABELS,
  countryName, formatDate, formatDateTime, formatPeriod, languageName, plural, today,
} from './format.js';
import { loadThemes, themeLabel } from './inbox.js';
import { fieldErrorSlot, proposalStatusTag } from './proposals.js';
import { authorityReportSection } from './report.js';
import { authorityApplicationsSection, authorityExpiringSection } from './candidatures.js';

export async function renderAuthority(main, session, stillCurrent) {
  const { api } = session;
  // Says what an answer or a save did; kept across the refreshes of the lists below.
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

  const say = (message) => { announce.textContent = message; };
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
            h('span', { class: 'tag' }, themeLabel(themes, label.theme)), ' ',
            label.until ? `du ${formatDate(label.since)} au ${formatDate(label.until)}` : `depuis le ${formatDate(label.since)}`,
            ' ', h('span', { class: valid ? 'flag ok' : 'flag late' }, valid ? 'Valide' : 'Hors validité'));
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
          h('strong', {}, needTitle(proposal)), ' ', proposalStatusTag(proposal),
          h('div', { class: 'muted' }, proposal.answered_at
            ? `Réponse le ${formatDateTime(proposal.answered_at)}`
            : `Réponse attendue avant le ${formatDate(proposal.respond_by)}`),
          proposal.reason && h('blockquote', { class: 'proposal-reason' }, proposal.status === 'declined' ? `Votre motif : ${proposal.reason}` : proposal.reason)))));
  }

  function needTitle(proposal) {
    const need = proposal.need_summary || {};
    const partner = need.partner && need.partner.name ? need.partner.name : proposal.need;
    return `${partner} — ${need.country_name || countryName(need.country || '')}`;
  }

  function whyBlock(why) {
    if (!why) return null;
    if (why.plan) {
      const assigned = why.assigned && typeof why.assigned === 'object' && why.assigned.score !== undefined
        ? ` (score ${why.assigned.score.toLocaleString('fr-FR', { maximumFractionDigits: 3 })})` : '';
      return h('div', { class: 'why' }, h('h4', {}, 'Pourquoi vous ?'),
        h('p', {}, `Votre collectivité a été retenue par l'affectation par lot de la DAECT (plan ${why.plan})${assigned}, qui répartit les besoins de la période selon les capacités de chaque collectivité.`));
    }
    const reasons = why.reasons || {};
    return h('div', { class: 'why' }, h('h4', {}, 'Pourquoi vous ?'),
      why.rank && h('p', { class: 'why-rank' }, `Rang ${why.rank} sur ${plural(why.eligible || why.rank, 'collectivité éligible', 'collectivités éligibles')} pour ce besoin.`),
      h('ul', { class: 'reasons' }, FEATURES.filter((feature) => reasons[feature]).map((feature) =>
        h('li', {}, h('strong', {}, `${FEATURE_LABELS[feature]} : `), reasons[feature]))));
  }

  function needFacts(need) {
    return h('dl', { class: 'facts' },
      h('dt', {}, 'Pays'), h('dd', {}, need.country_name || countryName(need.country)),
      h('dt', {}, 'Partenaire'), h('dd', {}, (need.partner && need.partner.name) || '—'),
      h('dt', {}, 'Thèmes'), h('dd', {}, h('ul', { class: 'inline-list' }, (need.themes || []).map((theme) =>
        h('li', {}, h('span', { class: 'tag' }, theme.label || themeLabel(themes, theme.theme)))))),
      h('dt', {}, 'Période'), h('dd', {}, formatPeriod(need.period)),
      need.experts_needed !== undefined && [h('dt', {}, 'Experts demandés'), h('dd', {}, String(need.experts_needed))],
      need.languages !== undefined && [h('dt', {}, 'Langues de travail'), h('dd', {}, need.languages.length ? need.languages.map(languageName).join(', ') : 'Indifférentes')]);
  }

  function waitingCard(proposal) {
    const need = proposal.need_summary || {};
    const slot = h('div', { class: 'answer-slot' });
    const accept = h('button', { type: 'button', class: 'primary', onclick: () => answer(proposal, 'accept', accept) }, 'Accepter');
    const decline = h('button', { type: 'button', class: 'secondary', onclick: () => openDecline(slot, proposal) }, 'Décliner');
    return h('li', { class: 'card proposal-card', 'data-proposal': proposal.id, 'aria-labelledby': `proposal-${proposal.id}-title` },
      h('h3', { id: `proposal-${proposal.id}-title` }, needTitle(proposal)),
      h('p', { class: 'respond-by' }, `Réponse attendue avant le ${formatDate(proposal.respond_by)}`),
      needFacts(need),
      need.description && h('p', { class: 'description' }, need.description),
      proposal.message && h('div', { class: 'daect-message' }, h('h4', {}, 'Message de la DAECT'), h('blockquote', {}, proposal.message)),
      whyBlock(proposal.why),
      h('div', { class: 'actions', role: 'group', 'aria-label': 'Votre réponse' }, accept, decline),
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
    const reasonError = fieldErrorSlot(reason, '/reason');
    const status = h('div', { 'aria-live': 'polite' });
    const confirm = h('button', { type: 'submit', class: 'danger' }, 'Confirmer le refus');
    fill(slot, h('form', { class: 'decline-form', novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      reasonError.clear();
      fill(status);
      const error = await answer(proposal, 'decline', confirm, { reason: reason.value });
      if (!error) return;
      if (!reasonError.show(error)) fill(status, session.errorBox(error, 'Refus non enregistré'));
      reason.focus();
    } },
    h('label', { for: reason.id }, 'Motif du refus (obligatoire)'),
    reason, reasonError.slot,
    h('div', { class: 'actions' }, confirm, h('button', { type: 'button', class: 'secondary', onclick: () => fill(slot) }, 'Annuler')),
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
    const startError = fieldErrorSlot(start, '/start');
    const endError = fieldErrorSlot(end, '/end');
    const rows = h('ol', { class: 'expert-rows' });
    let counter = 0;
    const addRow = (expert = { name: '', function: '' }, focus = false) => {
      counter += 1;
      const n = counter;
      const name = h('input', { id: `expert-name-${key}-${n}`, type: 'text', maxlength: '200', required: true, value: expert.name, autocomplete: 'off' });
      const role = h('input', { id: `expert-function-${key}-${n}`, type: 'text', maxlength: '200', required: true, value: expert.function, autocomplete: 'off' });
      const row = h('li', { class: 'expert-row' },
        h('div', { class: 'field' }, h('label', { for: name.id }, 'Nom de l’expert'), name),
        h('div', { class: 'field' }, h('label', { for: role.id }, 'Fonction'), role),
        h('button', { type: 'button', class: 'secondary small', 'aria-label': `Retirer l'expert ${n}`, onclick: () => {
          row.remove();
          if (addButton) addButton.focus();
        } }, 'Retirer'));
      row.expert = () => ({ name: name.value.trim(), function: role.value.trim() });
      rows.append(row);
      if (focus) name.focus();
    };
    const addButton = h('button', { type: 'button', class: 'secondary small', onclick: () => addRow(undefined, true) }, 'Ajouter un expert');
    for (const expert of mission.experts || []) addRow(expert);
    const experts = () => [...rows.children].map((row) => row.expert());
    const expertsError = h('p', { class: 'field-error', id: `experts-${key}-error`, hidden: true });
    const status = h('div', { 'aria-live': 'polite' });
    const save = h('button', { type: 'submit', class: 'primary' }, 'Enregistrer la mission');
    const due = item.report_due;
    return h('li', { class: 'card mission-card', 'data-need': need.id },
      h('h3', {}, `${(need.partner && need.partner.name) || need.id} — ${countryName(need.country)}`),
      h('p', {}, h('span', { class: `status status-${need.status}` }, STATUS_LABELS[need.status] || need.status), ' ', h('span', { class: 'muted id' }, need.id)),
      h('p', { class: 'muted' }, `Période demandée : ${formatPeriod(need.period)}`),
      // Once the dates are recorded, the report's state is the report section's (kept current
      // as the document and summary are saved).
      !due && h('p', { class: 'report-due' }, 'Rapport attendu deux mois après la fin de la mission (enregistrez ses dates).'),
      h('form', { class: 'mission-form', 'aria-label': `Mission ${need.id}`, onsubmit: async (event) => {
        event.preventDefault();
        startError.clear();
        endError.clear();
        expertsError.hidden = true;
        fill(status);
        const list = experts();
        if (list.some((expert) => !expert.name || !expert.function)) {
          expertsError.textContent = 'Chaque expert a un nom et une fonction.';
          expertsError.hidden = false;
          return;
        }
        save.disabled = true;
        try {
          await api.put(`/v1/needs/${encodeURIComponent(need.id)}/mission`, { start: start.value, end: end.value, experts: list });
          say(`Mission enregistrée : ${plural(list.length, 'expert')}, ${formatPeriod({ start: start.value, end: end.value })}.`);
          await showMissions();
        } catch (error) {
          save.disabled = false;
          const placed = [startError.show(error), endError.show(error)].some(Boolean);
          const others = (error.fields || []).filter((field) => /^\/experts/.test(field.pointer || ''));
          if (others.length > 0) {
            expertsError.textContent = others.map((field) => `${field.label} : ${field.message}`).join(' ; ');
            expertsError.hidden = false;
          }
          if (!placed && others.length === 0) fill(status, session.errorBox(error, 'Mission non enregistrée'));
        }
      } },
      h('div', { class: 'row' },
        h('div', { class: 'field' }, h('label', { for: start.id }, 'Début de la mission'), start, startError.slot),
        h('div', { class: 'field' }, h('label', { for: end.id }, 'Fin de la mission'), end, endError.slot)),
      h('fieldset', {}, h('legend', {}, 'Experts envoyés'), rows, expertsError, addButton),
      save, status),
      authorityReportSection(session, item, say));
  }

  await refresh();
}
