// Proposals seen from DAECT: the « Proposer » form beside a candidate of the shortlist
// (POST /v1/needs/{id}/proposals), a need's proposal history with « Retirer » on a waiting one
// (POST /v1/proposals/{id}/withdraw), and the « Propositions » screen (GET /v1/proposals?status=).
// Also the helpers the authority's space shares: status badges and errors shown next to a field.
// Built with the State design system's components (ui.js).
import { h, fill } from './dom.js';
import * as ui from './ui.js';
import { officialSearchCard } from './official-picker.js';
import {
  FILTER_LABELS, PROPOSAL_STATUS_LABELS, addDays, countryName, formatDate, formatDateTime, plural, today,
} from './format.js';

// DSFR's badge kind for each status of a proposal.
const STATUS_KINDS = { waiting: 'new', accepted: 'success', declined: 'error', expired: null, withdrawn: null };

// « Déclinée », as a DSFR status badge; `data-status` keeps the API's word for tests and styles.
export function proposalStatusTag(proposal) {
  const node = ui.badge(PROPOSAL_STATUS_LABELS[proposal.status] || proposal.status, STATUS_KINDS[proposal.status] || null,
    { class: 'proposal-status' });
  node.dataset.status = proposal.status;
  return node;
}

// The French sentence for a refusal by a hard filter (422 with `filter`).
export function filterRefusal(error) {
  const filter = error && error.problem && error.problem.filter;
  if (!filter) return null;
  return `Cette collectivité est écartée par un filtre : ${FILTER_LABELS[filter] || filter}.`;
}

// The small form that proposes `need` to `candidate` (message, answer expected before). The API
// checks the fields (novalidate: its French reasons go under them); the result is said in
// the page's polite live region (session.toast), which outlives the need page's reload; a
// refusal stays in the form, under the field the API names.
export function openProposeForm(slot, session, need, candidate, onDone) {
  const id = candidate.collectivite.id.replace(/[^a-zA-Z0-9_-]/g, '_');
  const message = h('textarea', { id: `propose-message-${id}`, rows: '3', maxlength: '4000' });
  const respondBy = h('input', { id: `propose-respond-${id}`, type: 'date', required: true, min: today(), value: addDays(today(), 14) });
  const messageField = ui.field('Message à la collectivité (facultatif)', message, { pointer: '/message' });
  const respondField = ui.field('Réponse attendue avant le', respondBy, { pointer: '/respond_by' });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const send = ui.button('Envoyer la proposition', { type: 'submit', icon: 'send-plane-line' });
  fill(slot, h('form', { class: 'propose-form', 'aria-label': `Proposer ce besoin à ${candidate.collectivite.name}`, novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    send.disabled = true;
    messageField.error.clear();
    respondField.error.clear();
    fill(status);
    try {
      const proposal = await session.api.post(`/v1/needs/${encodeURIComponent(need.id)}/proposals`,
        { collectivite: candidate.collectivite.id, message: message.value, respond_by: respondBy.value });
      session.toast(`Proposition envoyée à ${candidate.collectivite.name} (réponse attendue avant le ${formatDate(proposal.respond_by)})`);
      await onDone();
    } catch (error) {
      send.disabled = false;
      const refusal = filterRefusal(error);
      const placed = [messageField.error.show(error), respondField.error.show(error)].some(Boolean);
      if (refusal) {
        fill(status, ui.alert('error', null, h('p', { class: 'error-title' }, `Proposition refusée : ${refusal}`)));
      } else if (!placed) {
        fill(status, session.errorBox(error, 'Proposition non envoyée'));
      } else {
        fill(status, ui.alert('error', null, h('p', {}, 'Proposition non envoyée : corrigez les champs signalés.')));
      }
    }
  } },
  h('p', {}, `Proposer ce besoin à ${candidate.collectivite.name}. Elle est prévenue par courriel et répond dans son espace.`),
  messageField,
  respondField,
  ui.buttonsGroup(send, ui.button('Annuler', { kind: 'secondary', onclick: () => fill(slot) })),
  status));
  message.focus();
}

// A need's proposals, oldest first, with « Retirer » on a waiting one (DAECT).
export function proposalHistory(session, need, nameOf, reload) {
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const proposals = need.proposals || [];
  return h('section', { class: 'card proposals-history', 'aria-labelledby': 'proposals-title', id: 'proposals' },
    h('h2', { id: 'proposals-title' }, 'Propositions aux collectivités'),
    proposals.length === 0
      ? h('p', { class: 'muted' }, 'Aucune proposition faite pour ce besoin.')
      : h('ol', { class: 'proposal-list' }, proposals.map((proposal) => h('li', { 'data-proposal': proposal.id, 'data-collectivite': proposal.collectivite },
        h('div', { class: 'proposal-head' }, h('strong', {}, nameOf(proposal.collectivite)), ' ', proposalStatusTag(proposal)),
        h('p', { class: 'muted fr-text--sm' }, `Proposée le ${formatDateTime(proposal.created_at)} — réponse attendue avant le ${formatDate(proposal.respond_by)}`,
          proposal.answered_at ? ` — réponse le ${formatDateTime(proposal.answered_at)}` : ''),
        proposal.reason && h('blockquote', { class: 'proposal-reason' }, proposal.status === 'declined' ? `Motif du refus : ${proposal.reason}` : proposal.reason),
        proposal.status === 'waiting' && session.can('propose') && ui.button('Retirer', {
          kind: 'secondary', size: 'sm', icon: 'close-line',
          'aria-label': `Retirer la proposition faite à ${nameOf(proposal.collectivite)}`,
          onclick: async (event) => {
            if (!window.confirm(`Retirer la proposition faite à ${nameOf(proposal.collectivite)} ?`)) return;
            const button = event.currentTarget;
            button.disabled = true;
            try {
              await session.api.post(`/v1/proposals/${encodeURIComponent(proposal.id)}/withdraw`, {});
              session.toast(`Proposition à ${nameOf(proposal.collectivite)} retirée`);
              await reload();
            } catch (error) {
              button.disabled = false;
              fill(status, session.errorBox(error, 'Proposition non retirée'));
            }
          },
        })))),
    status);
}

const STATUS_FILTERS = ['waiting', 'accepted', 'declined', 'expired', 'withdrawn'];

// « Propositions »: every proposal of a status, newest first, with the answer and its reason.
export async function renderProposals(main, session, params, stillCurrent) {
  const chosen = STATUS_FILTERS.includes(params.get('statut')) ? params.get('statut') : '';
  const select = h('select', { id: 'proposals-status', onchange: () => {
    location.hash = select.value ? `#/propositions?statut=${select.value}` : '#/propositions';
  } },
  h('option', { value: '' }, 'Tous les statuts'),
  STATUS_FILTERS.map((status) => h('option', { value: status, selected: status === chosen }, PROPOSAL_STATUS_LABELS[status])));
  const results = h('div', { class: 'proposals-results', 'aria-live': 'polite' }, h('p', { class: 'loading' }, 'Chargement des propositions…'));
  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Propositions'),
      h('p', { class: 'muted' }, 'Les besoins proposés aux collectivités et leurs réponses.')),
    h('div', { class: 'card filters' }, ui.field('Statut', select, { hint: 'La liste se met à jour dès le choix.' })),
    results,
    session.can('propose') && officialSearchCard(session));
  const query = new URLSearchParams({ limit: '200' });
  if (chosen) query.set('status', chosen);
  let page;
  try {
    page = await session.api.get(`/v1/proposals?${query}`);
  } catch (error) {
    if (stillCurrent()) fill(results, session.errorBox(error, 'Propositions introuvables'));
    return;
  }
  if (!stillCurrent()) return;
  if (page.items.length === 0) {
    fill(results, h('p', { class: 'empty' }, chosen ? `Aucune proposition « ${PROPOSAL_STATUS_LABELS[chosen]} ».` : 'Aucune proposition.'));
    return;
  }
  const caption = chosen ? `Propositions « ${PROPOSAL_STATUS_LABELS[chosen]} »` : 'Toutes les propositions';
  fill(results,
    h('p', { class: 'muted' }, plural(page.total, 'proposition')),
    ui.table(caption,
      ['Besoin', 'Collectivité', 'Statut', 'Réponse attendue avant le', 'Réponse'],
      page.items.map((proposal) => {
        const need = proposal.need_summary || {};
        const partner = need.partner && need.partner.name ? need.partner.name : proposal.need;
        return h('tr', { 'data-proposal': proposal.id, 'data-status': proposal.status },
          h('td', { 'data-label': 'Besoin' }, h('a', { href: `#/besoin/${encodeURIComponent(proposal.need)}` }, partner),
            h('div', { class: 'muted fr-text--sm' }, need.country_name || countryName(need.country || ''), ' · ', proposal.need)),
          h('td', { 'data-label': 'Collectivité' }, proposal.collectivite_name || proposal.collectivite),
          h('td', { 'data-label': 'Statut' }, proposalStatusTag(proposal)),
          h('td', { 'data-label': 'Réponse attendue' }, formatDate(proposal.respond_by)),
          h('td', { 'data-label': 'Réponse' },
            proposal.answered_at ? `le ${formatDateTime(proposal.answered_at)}` : '—',
            proposal.reason && h('div', { class: 'proposal-reason' }, `Motif : ${proposal.reason}`)));
      }),
      { class: 'proposals-table' }));
}
