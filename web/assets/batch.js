// Batch assignment: the open needs of a period, POST /v1/assignments, the plan per need
// (assigned and alternates) and per authority (load), then POST /v1/assignments/{id}/accept.
import { h, fill } from './dom.js';
import { alert, badge, button, checkbox, field, table } from './ui.js';
import { countryName, formatDateTime, formatNumber, formatShortDate, plural, today } from './format.js';

function addMonths(day, months) {
  const [year, month, date] = day.split('-').map(Number);
  const result = new Date(Date.UTC(year, month - 1 + months, date));
  return result.toISOString().slice(0, 10);
}

// A need of a plan by its partner's name (the contract's `title`, or `partner` as a name or an object).
function needTitle(need) {
  const partner = need.partner && typeof need.partner === 'object' ? need.partner.name : need.partner;
  return partner || need.title || need.id;
}

export async function renderBatch(main, session, stillCurrent) {
  const { api } = session;
  const from = h('input', { id: 'batch-from', type: 'date', required: true, value: today() });
  const to = h('input', { id: 'batch-to', type: 'date', required: true, value: addMonths(today(), 12) });
  const alternates = h('input', { id: 'batch-alternates', type: 'number', min: '0', max: '20', value: '3', inputmode: 'numeric' });
  const profile = h('select', { id: 'batch-profile' }, h('option', { value: 'default' }, 'default'));
  api.get('/v1/profiles').then((list) => {
    fill(profile, list.items.map((one) => h('option', { value: one.name, selected: one.name === 'default' }, `${one.name} (v${one.version})`)));
  }, () => {});
  const needsArea = h('div', { class: 'batch-needs', 'aria-live': 'polite' });
  const planArea = h('div', { class: 'plan', 'aria-live': 'polite' });
  const runButton = button("Calculer l'affectation", { type: 'submit', id: 'batch-run', icon: 'refresh-line' });
  let openNeeds = [];
  const checked = new Set();

  async function listNeeds() {
    fill(needsArea, h('p', { class: 'loading' }, 'Recherche des besoins ouverts…'));
    try {
      const query = { period_from: from.value, period_to: to.value };
      const [submitted, shortlisted] = await Promise.all([
        api.allNeeds({ ...query, status: 'submitted' }), api.allNeeds({ ...query, status: 'shortlisted' })]);
      openNeeds = [...submitted, ...shortlisted].sort((a, b) => a.period.start.localeCompare(b.period.start) || a.id.localeCompare(b.id));
    } catch (error) {
      fill(needsArea, session.errorBox(error, 'Besoins introuvables'));
      return;
    }
    if (!stillCurrent()) return;
    checked.clear();
    for (const need of openNeeds) checked.add(need.id);
    if (openNeeds.length === 0) {
      fill(needsArea, h('p', { class: 'empty' }, 'Aucun besoin ouvert (soumis ou présélectionné) sur cette période.'));
      runButton.disabled = true;
      return;
    }
    runButton.disabled = false;
    fill(needsArea,
      h('fieldset', { class: 'fr-fieldset batch-fieldset' },
        h('legend', { class: 'fr-fieldset__legend' }, `${plural(openNeeds.length, 'besoin ouvert', 'besoins ouverts')} sur la période`),
        h('ul', { class: 'check-list' }, openNeeds.map((need) => {
          const box = h('input', { id: `batch-need-${need.id}`, name: 'batch-need', value: need.id, checked: true, onchange: () => {
            if (box.checked) checked.add(need.id); else checked.delete(need.id);
            runButton.disabled = checked.size === 0;
          } });
          return h('li', { class: 'fr-fieldset__element' }, checkbox(
            `${need.partner.name} (${countryName(need.country)}) — ${formatShortDate(need.period.start)} → ${formatShortDate(need.period.end)}`,
            box, { hint: need.id }));
        }))));
  }

  const form = h('form', { class: 'card batch-form', onsubmit: async (event) => {
    event.preventDefault();
    if (checked.size === 0) return;
    runButton.disabled = true;
    fill(planArea, h('p', { class: 'loading' }, "Calcul de l'affectation…"));
    const body = { period_from: from.value, period_to: to.value, alternates: Number(alternates.value || 0), profile: profile.value };
    // An explicit list only when some needs of the period were left out.
    if (checked.size !== openNeeds.length) {
      delete body.period_from;
      delete body.period_to;
      body.needs = [...checked];
    }
    try {
      const plan = await api.post('/v1/assignments', body);
      if (stillCurrent()) showPlan(plan);
    } catch (error) {
      const unavailable = error.status === 404 && error.technical && error.technical.startsWith('no such resource');
      fill(planArea, unavailable
        ? alert('error', null, h('p', {}, "Le calcul par lot n'est pas encore proposé par ce serveur (mettez expectmatch à jour)."))
        : session.errorBox(error, 'Affectation impossible'));
    } finally {
      runButton.disabled = false;
    }
  } },
  h('div', { class: 'row' },
    field('Période du', from, { pointer: '/period_from' }),
    field('au', to, { pointer: '/period_to' }),
    field('Profil de pondération', profile, { pointer: '/profile' }),
    field('Suppléants par besoin', alternates, { pointer: '/alternates' })),
  needsArea,
  runButton);
  from.addEventListener('change', listNeeds);
  to.addEventListener('change', listNeeds);

  function showPlan(plan) {
    const accepted = plan.status === 'accepted';
    const acceptStatus = h('div', { 'aria-live': 'polite' });
    const acceptButton = button(accepted ? 'Plan accepté' : 'Accepter le plan (proposer chaque besoin à sa collectivité)', { id: 'batch-accept', icon: 'send-plane-line', disabled: accepted, onclick: async () => {
      acceptButton.disabled = true;
      try {
        const done = await api.post(`/v1/assignments/${encodeURIComponent(plan.id)}/accept`, {});
        session.toast(`Plan accepté : ${plural((done.proposals || []).length, 'proposition envoyée', 'propositions envoyées')}`);
        showPlan(done);
        listNeeds();
      } catch (error) {
        acceptButton.disabled = false;
        fill(acceptStatus, session.errorBox(error, 'Plan non accepté'));
      }
    } });

    const maxLoad = Math.max(1, ...plan.collectivites.map((entry) => entry.max || 1));
    fill(planArea,
      h('section', { class: 'card', 'aria-labelledby': 'plan-title' },
        h('h2', { id: 'plan-title' }, accepted ? 'Plan accepté' : 'Plan proposé'),
        h('p', {},
          `Plan ${plan.id}, profil « ${plan.profile.name} » v${plan.profile.version}, capacités de ${plan.year} — score total ${formatNumber(plan.total_score, 3)}`,
          plan.feasible ? '' : ' — certains besoins ne sont pas entièrement couverts',
          plan.relaxed ? ' (contraintes assouplies)' : ''),
        h('p', {}, `${plural(plan.needs.length, 'besoin')} : ${plural(plan.needs.filter((entry) => entry.missing === 0 && entry.assigned.length > 0).length, 'couvert', 'couverts')} entièrement, ${plural(plan.needs.filter((entry) => entry.assigned.length === 0).length, 'non couvert', 'non couverts')}.`),
        accepted && badge(`Accepté le ${formatDateTime(plan.accepted_at)}${plan.proposals ? ` : ${plural(plan.proposals.length, 'proposition envoyée', 'propositions envoyées')}` : ''}.`, 'success', { class: 'flag ok' }),
        (plan.diagnostics || []).length > 0 && h('ul', { class: 'diagnostics' }, plan.diagnostics.map((line) => h('li', {}, line))),
        h('div', { class: 'actions' }, acceptButton), acceptStatus),
      h('div', { class: 'plan-grid' },
        h('section', { class: 'card', 'aria-labelledby': 'plan-needs-title' },
          h('h2', { id: 'plan-needs-title' }, 'Par besoin'),
          table('Attribution proposée pour chaque besoin', ['Besoin', 'Collectivité attribuée', 'Suppléants'],
            plan.needs.map((entry) => h('tr', { 'data-need': entry.need.id },
              h('td', { 'data-label': 'Besoin' },
                h('a', { href: `#/besoin/${encodeURIComponent(entry.need.id)}` }, needTitle(entry.need)),
                h('div', { class: 'muted' }, entry.need.country_name || countryName(entry.need.country),
                  entry.need.period && ` · ${formatShortDate(entry.need.period.start)} → ${formatShortDate(entry.need.period.end)}`,
                  entry.demand > 1 && ` · ${entry.demand} experts`),
                h('div', { class: 'muted id' }, entry.need.id)),
              h('td', { 'data-label': 'Attribuée' },
                entry.assigned.length === 0 && badge('Non couvert', 'warning', { class: 'flag late' }),
                h('ul', { class: 'plain' }, entry.assigned.map((a) => h('li', { class: 'assigned' }, h('strong', {}, a.collectivite.name), ` (${formatNumber(a.score, 3)})`))),
                entry.missing > 0 && h('p', { class: 'muted' }, `${plural(entry.missing, 'place manquante', 'places manquantes')}${entry.reason ? ` : ${entry.reason}` : ''}`)),
              h('td', { 'data-label': 'Suppléants' }, (entry.alternates || []).length === 0 ? '—'
                : h('ol', { class: 'plain' }, entry.alternates.map((a) => h('li', {}, `${a.collectivite.name} (${formatNumber(a.score, 3)})`)))))),
            { hideCaption: true, class: 'plan-table' })),
        h('section', { class: 'card', 'aria-labelledby': 'plan-load-title' },
          h('h2', { id: 'plan-load-title' }, 'Par collectivité'),
          h('ul', { class: 'loads' }, [...plan.collectivites].sort((a, b) => b.load - a.load || a.collectivite.name.localeCompare(b.collectivite.name, 'fr'))
            .map((entry) => {
              const bar = h('span', { class: 'load-fill' });
              bar.style.width = `${(entry.load / maxLoad) * 100}%`;
              const capacity = h('span', { class: 'load-capacity' });
              capacity.style.width = `${((entry.max || 0) / maxLoad) * 100}%`;
              return h('li', { class: entry.load > 0 ? 'loaded' : 'idle' },
                h('span', { class: 'load-name' }, entry.collectivite.name),
                h('span', { class: 'load-bar', role: 'img', 'aria-label': `${entry.load} sur ${entry.max}` }, capacity, bar),
                h('span', { class: 'load-count' }, `${entry.load} / ${entry.max}`));
            }))),
        (plan.unplaced || []).length > 0 && h('section', { class: 'card' },
          h('h2', {}, 'Besoins non placés'), h('p', {}, plan.unplaced.join(', ')))));
  }

  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Affectation par lot'),
      h('p', { class: 'muted' }, `Choisissez la période : les besoins ouverts dont la période la recoupe sont proposés ; le calcul attribue au mieux, dans la limite des capacités annuelles des collectivités.`)),
    form, planArea);
  await listNeeds();
}
