// Label applications (« Candidatures ») and expiring labels (« Labels à renouveler »).
//   #/candidatures?statut=&page=   DAECT's inbox of applications (analysts read it)
//   #/candidature/<id>             one application: what was sent, its documents, its events and,
//                                  for DAECT, « Prendre en charge » then the decision
//   #/candidatures/nouvelle?collectivite=&renouvelle=   « Demander un label » (application-form.js)
//   #/labels?jours=                the labels expiring within so many days
// The authority sees its applications and its expiring labels in its own space
// (authorityApplicationsSection, authorityExpiringSection), the application page and the form.
// API: /v1/label-applications (POST, GET, .../review, .../decision, .../answer, .../documents),
// GET /v1/labels/expiring.
import { h, fill } from './dom.js';
import { ApiError, NetworkError } from './api.js';
import { addDays, countryName, formatDate, formatDateTime, formatInteger, plural, today } from './format.js';
import { loadThemes, themeLabel } from './inbox.js';
import { renderApplicationForm } from './application-form.js';
import { MAX_DOCUMENT_BYTES, documentType } from './report.js';
import * as ui from './ui.js';

// An application's status (the API's word) as the page says it.
export const APPLICATION_STATUS_LABELS = {
  received: 'Reçue',
  under_review: "En cours d'examen",
  information_requested: 'Informations demandées',
  approved: 'Approuvée',
  rejected: 'Refusée',
};
const STATUSES = Object.keys(APPLICATION_STATUS_LABELS);
// The inbox's tabs: the applications of each status.
const TAB_LABELS = {
  received: 'Reçues',
  under_review: "En cours d'examen",
  information_requested: 'Informations demandées',
  approved: 'Approuvées',
  rejected: 'Refusées',
};
const DECISION_LABELS = {
  approved: 'Approuver',
  information_requested: 'Demander des informations',
  rejected: 'Refuser',
};
const PAGE_SIZE = 20;
export const EXPIRING_DAYS = [30, 60, 90, 180, 365];

// The DSFR badge of each status (the same French words).
const STATUS_BADGES = {
  received: 'new',
  under_review: 'info',
  information_requested: 'warning',
  approved: 'success',
  rejected: 'error',
};

export function applicationStatusTag(status) {
  const node = ui.badge(APPLICATION_STATUS_LABELS[status] || status, STATUS_BADGES[status] || null, { class: `app-status as-${status}` });
  node.dataset.status = status;
  return node;
}

// An error slot under `input` for the API's errors whose pointer `matches` (a string: that
// pointer exactly; a RegExp: any pointer it matches): the page's one implementation,
// ui.errorSlot (it also turns the enclosing DSFR group red).
export function pointerSlot(input, matches) {
  return ui.errorSlot(input, matches);
}

// The French sentence of a 409 (the application is no longer in the status the action needs).
export function conflictSentence(error) {
  const problem = (error && error.problem) || {};
  // The API names the current status (`current_status`); else its detail's first status word.
  const detail = problem.detail || '';
  const found = STATUSES.includes(problem.current_status) ? problem.current_status
    : STATUSES.find((status) => new RegExp(`is (now )?${status}\\b`).test(detail));
  return found
    ? `Action impossible : la candidature est à présent « ${APPLICATION_STATUS_LABELS[found]} ». Rechargez la page.`
    : "Action impossible : la candidature a changé entre-temps. Rechargez la page.";
}

// The 409 sentence in a DSFR error alert (read at once).
function conflictAlert(error) {
  return ui.alert('error', null, h('p', { class: 'field-error' }, conflictSentence(error)));
}

// A theme as a DSFR tag (class `theme-tag`: the page's old `.tag` rule must not repaint it).
function themeTag(label, attributes = {}) {
  return ui.tag(label, { class: 'fr-tag fr-tag--sm theme-tag', ...attributes });
}

// « ← Candidatures »: a DSFR link with its arrow.
export function backLink(label, href) {
  return h('a', { class: 'fr-link fr-icon-arrow-left-line fr-link--icon-left', href }, label);
}

// Whole years after `day` (YYYY-MM-DD), as YYYY-MM-DD (29 February falls on 1 March).
export function addYears(day, years) {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year + years, month - 1, date)).toISOString().slice(0, 10);
}

// The authority's name for an application, its id when the API gives none.
function authorityName(application) {
  return application.collectivite_name || application.collectivite;
}

// « Candidature déposée », « Prise en charge », … for one event of the timeline.
function eventTitle(event, index) {
  if (index === 0 || event.status === 'received') return 'Candidature déposée';
  if (event.status === 'under_review') return event.message ? 'Réponse de la collectivité' : 'Prise en charge par la DAECT';
  if (event.status === 'information_requested') return 'Informations demandées par la DAECT';
  if (event.status === 'approved') return 'Candidature approuvée';
  if (event.status === 'rejected') return 'Candidature refusée';
  return APPLICATION_STATUS_LABELS[event.status] || event.status || 'Événement';
}

// Who acted, when the API says it in words the page knows (a key's id means nothing to a reader).
function byLine(by) {
  if (by === 'daect') return ' — par la DAECT';
  if (by === 'collectivite') return ' — par la collectivité';
  return '';
}

export function eventsTimeline(events) {
  if (!events || events.length === 0) return h('p', { class: 'muted' }, 'Aucun événement.');
  return h('ol', { class: 'app-events' }, events.map((event, index) => h('li', { 'data-status': event.status || '' },
    h('strong', {}, eventTitle(event, index)),
    h('span', { class: 'muted' }, ` le ${formatDateTime(event.at)}${byLine(event.by)}`),
    event.reason && h('blockquote', { class: 'app-reason' }, h('span', { class: 'fr-sr-only' }, 'Motif : '), event.reason),
    event.message && h('blockquote', { class: 'app-message' }, h('span', { class: 'fr-sr-only' }, 'Message : '), event.message))));
}

// What DAECT last said (the reason of its latest decision), for the authority's list.
function latestWord(application) {
  const events = application.events || [];
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index];
    if (event.reason && ['information_requested', 'rejected', 'approved'].includes(event.status)) return event;
  }
  return null;
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} octets`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Ko`;
  return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

const TYPE_NAMES = {
  'application/pdf': 'PDF',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
};

// Fetches a document with the key (the API wants the Authorization header) and saves it.
async function downloadDocument(session, url, filename, status) {
  fill(status);
  let response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${session.api.key}` } });
  } catch {
    fill(status, session.errorBox(new NetworkError(), 'Téléchargement impossible'));
    return;
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }
    fill(status, session.errorBox(new ApiError(response.status, problem), 'Téléchargement impossible'));
    return;
  }
  const blob = await response.blob();
  const objectUrl = URL.createObjectURL(blob);
  const link = h('a', { href: objectUrl, download: filename || 'document' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10000);
  status.textContent = `« ${filename} » téléchargé.`;
}

export function documentsList(session, application) {
  const documents = application.documents || [];
  const status = h('div', { class: 'download-status', 'aria-live': 'polite' });
  if (documents.length === 0) return h('p', { class: 'muted documents-empty' }, 'Aucun document joint.');
  return h('div', {},
    h('ul', { class: 'app-documents' }, documents.map((document) => {
      const url = `/v1/label-applications/${encodeURIComponent(application.id)}/documents/${encodeURIComponent(document.sha256)}`;
      return h('li', { 'data-sha256': document.sha256 },
        h('a', { href: url, class: 'document-link', onclick: (event) => {
          event.preventDefault();
          downloadDocument(session, url, document.filename, status);
        } }, document.filename || document.sha256.slice(0, 12)),
        h('span', { class: 'muted' }, ` — ${TYPE_NAMES[document.content_type] || document.content_type}, ${formatBytes(document.bytes)}, déposé le ${formatDateTime(document.uploaded_at)}`));
    })),
    status);
}

// ---- Uploads ------------------------------------------------------------------------------

export const DOCUMENT_ACCEPT = '.pdf,.odt,.docx,application/pdf,application/vnd.oasis.opendocument.text,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

// POSTs `file` to the application's documents (with its upload progress).
export function uploadApplicationDocument(session, applicationId, file, onProgress) {
  return session.api.sendFile('POST',
    `/v1/label-applications/${encodeURIComponent(applicationId)}/documents?filename=${encodeURIComponent(file.name)}`,
    file, { 'Content-Type': documentType(file) }, onProgress);
}

export function uploadRefusal(error, name) {
  const what = name ? `« ${name} » refusé` : 'Document refusé';
  if (error.status === 413) return `${what} : fichier trop volumineux (20 Mo au plus).`;
  if (error.status === 415) return `${what} : type non accepté (PDF, ODT ou DOCX seulement).`;
  return `${what} : ${error.message}`;
}

// A file field with its progress bar. `send(applicationId)` uploads the chosen files one after
// the other and resolves with the number sent; a refusal is written beside the field and
// rejects.
export function documentsField(session, id, label) {
  // DSFR's upload field: the label with its hint, the input, the messages under it.
  const input = h('input', { id, type: 'file', class: 'fr-upload', multiple: true, accept: DOCUMENT_ACCEPT });
  const hint = h('span', { class: 'fr-hint-text', id: `${id}-hint` }, 'PDF, ODT ou DOCX, 20 Mo au plus par fichier. Plusieurs fichiers possibles.');
  input.setAttribute('aria-describedby', hint.id);
  const error = pointerSlot(input, /^$/);
  const progress = h('progress', { id: `${id}-progress`, max: '100', value: '0', hidden: true });
  const progressLabel = h('label', { class: 'fr-label', for: progress.id, hidden: true }, 'Progression de l’envoi');
  const progressText = h('p', { class: 'upload-status fr-message', role: 'status', 'aria-live': 'polite' });
  const files = () => [...(input.files || [])];
  return {
    input,
    node: h('div', { class: 'fr-upload-group documents-field' },
      h('label', { class: 'fr-label', for: id }, label, hint), input,
      h('div', { class: 'fr-messages-group' }, error.slot),
      h('div', { class: 'upload-progress' }, progressLabel, progress, progressText)),
    files,
    clear: () => error.clear(),
    // A page-side refusal before anything is sent (size).
    check() {
      error.clear();
      const big = files().find((file) => file.size > MAX_DOCUMENT_BYTES);
      if (big) {
        error.say(`« ${big.name} » refusé : fichier trop volumineux (20 Mo au plus).`);
        return false;
      }
      return true;
    },
    async send(applicationId) {
      const chosen = files();
      let sent = 0;
      for (const file of chosen) {
        progress.hidden = false;
        progressLabel.hidden = false;
        progress.value = 0;
        const prefix = chosen.length > 1 ? `${file.name} (${sent + 1}/${chosen.length}) : ` : '';
        progressText.textContent = `${prefix}Envoi : 0 %`;
        try {
          await uploadApplicationDocument(session, applicationId, file, (share) => {
            const percent = Math.min(100, Math.round(share * 100));
            progress.value = percent;
            progressText.textContent = `${prefix}Envoi : ${percent} %`;
          });
        } catch (failure) {
          progress.hidden = true;
          progressLabel.hidden = true;
          progressText.textContent = 'Envoi interrompu.';
          error.say(uploadRefusal(failure, file.name));
          throw failure;
        }
        sent += 1;
        progress.value = 100;
        progressText.textContent = `${prefix}Envoi : 100 % — document reçu (${formatBytes(file.size)}).`;
      }
      return sent;
    },
  };
}

// ---- DAECT's inbox ------------------------------------------------------------------------

async function renderInbox(main, session, params, stillCurrent) {
  const { api } = session;
  const chosen = STATUSES.includes(params.get('statut')) ? params.get('statut') : '';
  const pageNumber = Math.max(1, Number.parseInt(params.get('page') || '1', 10) || 1);
  const results = h('div', { class: 'applications-results', 'aria-live': 'polite' }, h('p', { class: 'loading' }, 'Chargement des candidatures…'));
  const tabs = h('ul', { class: 'fr-tags-group status-tabs' });
  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Candidatures au label'),
      h('p', { class: 'muted' }, 'Les demandes de label des collectivités, de la plus récente à la plus ancienne.'),
      session.can('fileApplication') && ui.buttonLink('Déposer une candidature pour une collectivité', '#/candidatures/nouvelle', { kind: 'secondary', icon: 'add-line' })),
    h('nav', { class: 'status-nav', 'aria-label': 'Statuts des candidatures' }, tabs),
    results);

  const hrefFor = (status, number = 1) => {
    const next = new URLSearchParams();
    if (status) next.set('statut', status);
    if (number > 1) next.set('page', String(number));
    const text = next.toString();
    return text ? `#/candidatures?${text}` : '#/candidatures';
  };
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String((pageNumber - 1) * PAGE_SIZE) });
  if (chosen) query.set('status', chosen);
  let page;
  let counts;
  try {
    [page, counts] = await Promise.all([
      api.get(`/v1/label-applications?${query}`),
      Promise.all(['', ...STATUSES].map((status) => api.get(`/v1/label-applications?limit=1${status ? `&status=${status}` : ''}`)
        .then((answer) => answer.total, () => null))),
    ]);
  } catch (error) {
    if (stillCurrent()) fill(results, session.errorBox(error, 'Candidatures introuvables'));
    return;
  }
  const themes = await loadThemes(api).catch(() => new Map());
  if (!stillCurrent()) return;

  fill(tabs, ['', ...STATUSES].map((status, index) => h('li', {},
    h('a', { href: hrefFor(status), class: 'fr-tag status-tab', 'data-status': status || 'all', 'aria-current': status === chosen ? 'page' : null },
      status ? TAB_LABELS[status] : 'Toutes',
      counts[index] !== null && h('span', { class: 'tab-count' }, `\u00a0(${formatInteger(counts[index])})`)))));

  if (page.items.length === 0) {
    fill(results, h('p', { class: 'empty' }, chosen
      ? `Aucune candidature « ${APPLICATION_STATUS_LABELS[chosen]} ».`
      : 'Aucune candidature pour le moment.'));
    return;
  }
  const items = [...page.items].sort((a, b) => (b.created_at || '').localeCompare(a.created_at || '') || b.id.localeCompare(a.id));
  const first = page.offset + 1;
  const last = page.offset + page.items.length;
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  fill(results,
    h('p', { class: 'count' }, `Candidatures ${formatInteger(first)} à ${formatInteger(last)} sur ${formatInteger(page.total)}`),
    ui.table(chosen ? `Candidatures « ${APPLICATION_STATUS_LABELS[chosen]} », de la plus récente à la plus ancienne` : 'Candidatures, de la plus récente à la plus ancienne',
      ['Collectivité', 'Thèmes demandés', 'Statut', 'Déposée le', 'Dernière mise à jour'],
      items.map((application) => h('tr', { 'data-application': application.id, 'data-status': application.status },
        h('td', {},
          h('a', { href: `#/candidature/${encodeURIComponent(application.id)}`, class: 'need-link' }, authorityName(application)),
          h('span', { class: 'muted id' }, application.id),
          application.renews && application.renews.length > 0 && ui.badge('Renouvellement', 'info', { class: 'renewal' })),
        h('td', {}, ui.tagsGroup((application.themes || []).map((theme) => themeTag(themeLabel(themes, theme))))),
        h('td', {}, applicationStatusTag(application.status)),
        h('td', {}, formatDateTime(application.created_at)),
        h('td', {}, formatDateTime(application.updated_at)))),
      { hideCaption: true, class: 'applications-table' }),
    ui.pagination(pageNumber, pages, (number) => hrefFor(chosen, number), { label: 'Pages de candidatures' }));
}

// ---- One application ----------------------------------------------------------------------

// What the application's page announces once shown (the form that filed it says so there).
let pending = null;
export function announceOnNextApplication(id, message) {
  pending = { id, message };
}

async function renderApplication(main, session, id, stillCurrent) {
  const { api } = session;
  fill(main, h('p', { class: 'loading' }, 'Chargement de la candidature…'));
  const [application, themes] = await Promise.all([
    api.get(`/v1/label-applications/${encodeURIComponent(id)}`),
    loadThemes(api).catch(() => new Map()),
  ]);
  if (!stillCurrent()) return;
  // Each action's result is said here (screen readers read it as it changes).
  const announce = h('div', { class: 'authority-status', role: 'status', 'aria-live': 'polite' });
  const reload = async (message) => {
    const fresh = await api.get(`/v1/label-applications/${encodeURIComponent(id)}`);
    if (!stillCurrent()) return;
    show(fresh);
    if (message) ui.announce(announce, 'success', message);
    // The form that had the focus is gone: the keyboard resumes from the page's title, just
    // above the announced result.
    const title = main.querySelector('h1');
    if (title) {
      title.setAttribute('tabindex', '-1');
      title.focus();
    }
  };

  function show(current) {
    const own = session.role === 'collectivite';
    const back = own ? backLink('Mon espace collectivité', '#/') : backLink('Candidatures', '#/candidatures');
    const actions = h('div', { class: 'app-actions' });
    fill(main,
      h('div', { class: 'page-head' },
        h('p', { class: 'breadcrumb' }, back),
        h('h1', {}, `Candidature de ${authorityName(current)}`),
        h('div', { class: 'app-head-status' }, applicationStatusTag(current.status), ' ', h('span', { class: 'muted id' }, current.id))),
      announce,
      h('div', { class: 'need-grid app-grid' },
        h('div', {},
          h('section', { class: 'card', 'aria-labelledby': 'app-facts-title' },
            h('h2', { id: 'app-facts-title' }, 'La demande'),
            h('dl', { class: 'facts' },
              h('dt', {}, 'Collectivité'), h('dd', { class: 'app-authority' }, authorityName(current), h('span', { class: 'muted' }, ` (${current.collectivite})`)),
              h('dt', {}, 'Thèmes demandés'), h('dd', { class: 'app-themes' }, ui.tagsGroup((current.themes || []).map((theme) => themeTag(themeLabel(themes, theme), { 'data-theme': theme })))),
              current.renews && current.renews.length > 0 && [h('dt', {}, 'Renouvellement de'),
                h('dd', {}, ui.tagsGroup(current.renews.map((theme) => themeTag(themeLabel(themes, theme)))))],
              h('dt', {}, 'Déposée le'), h('dd', {}, formatDateTime(current.created_at), current.created_by && h('span', { class: 'muted' }, byLine(current.created_by))),
              h('dt', {}, 'Mise à jour'), h('dd', {}, formatDateTime(current.updated_at))),
            h('h3', {}, 'Justification'),
            h('p', { class: 'description app-evidence' }, current.evidence),
            h('h3', {}, 'Coopérations décentralisées'),
            (current.cooperations || []).length === 0
              ? h('p', { class: 'muted' }, 'Aucune coopération citée.')
              : h('ul', { class: 'app-cooperations' }, current.cooperations.map((link) => h('li', {},
                `${countryName(link.country)} — `, typeof link.partner === 'object' && link.partner ? (link.partner.name || link.partner.id) : link.partner))),
            h('h3', {}, 'Actions territoriales'),
            (current.territorial_actions || []).length === 0
              ? h('p', { class: 'muted' }, 'Aucune action citée.')
              : h('ul', { class: 'app-actions-list' }, current.territorial_actions.map((action) => h('li', {},
                h('strong', {}, action.title), action.year ? ` (${action.year})` : '',
                action.description && h('div', { class: 'description' }, action.description)))),
            h('h3', {}, 'Documents joints'),
            documentsList(session, current),
            mayAddDocuments(current) && addDocumentsForm(current)),
          (current.labels || []).length > 0 && h('section', { class: 'card', 'aria-labelledby': 'app-labels-title' },
            h('h2', { id: 'app-labels-title' }, 'Labels accordés'),
            h('ul', { class: 'labels-list granted-labels' }, current.labels.map((label) => h('li', { 'data-theme': label.theme },
              themeTag(themeLabel(themes, label.theme)), ' ',
              label.until ? `du ${formatDate(label.since)} au ${formatDate(label.until)}` : `depuis le ${formatDate(label.since)}`))))),
        h('div', { class: 'side' },
          h('section', { class: 'card', 'aria-labelledby': 'app-events-title' },
            h('h2', { id: 'app-events-title' }, 'Historique'),
            eventsTimeline(current.events)),
          actions,
          labelHistorySection(session, current.collectivite, themes))));
    fillActions(actions, current);
  }

  function mayAddDocuments(current) {
    const open = !['approved', 'rejected'].includes(current.status);
    return open && (session.can('reviewApplication') || session.role === 'collectivite');
  }

  function addDocumentsForm(current) {
    const field = documentsField(session, 'app-more-documents', 'Joindre des documents');
    const button = ui.button('Envoyer les documents', { type: 'submit', kind: 'secondary', icon: 'upload-2-line' });
    return h('form', { class: 'app-upload', 'aria-label': 'Joindre des documents', onsubmit: async (event) => {
      event.preventDefault();
      if (field.files().length === 0 || !field.check()) return;
      button.disabled = true;
      try {
        const sent = await field.send(current.id);
        await reload(`${plural(sent, 'document joint', 'documents joints')} à la candidature.`);
      } catch {
        button.disabled = false;
      }
    } }, field.node, button);
  }

  function fillActions(node, current) {
    if (current.status === 'received' && session.can('reviewApplication')) {
      const status = h('div', { 'aria-live': 'polite' });
      const button = ui.button('Prendre en charge', { onclick: async () => {
        button.disabled = true;
        fill(status);
        try {
          await api.post(`/v1/label-applications/${encodeURIComponent(current.id)}/review`, {});
          await reload('Candidature prise en charge : elle est en cours d’examen.');
        } catch (error) {
          button.disabled = false;
          fill(status, error.status === 409 ? conflictAlert(error) : session.errorBox(error, 'Prise en charge impossible'));
        }
      } });
      fill(node, h('section', { class: 'card', 'aria-labelledby': 'app-review-title' },
        h('h2', { id: 'app-review-title' }, 'Examen'),
        h('p', {}, 'Prenez la candidature en charge pour l’examiner puis décider.'), button, status));
    } else if (current.status === 'under_review' && session.can('reviewApplication')) {
      fill(node, decisionForm(current));
    } else if (current.status === 'information_requested' && (session.role === 'collectivite' || session.can('reviewApplication'))) {
      fill(node, answerForm(current));
    } else {
      fill(node);
    }
  }

  function decisionForm(current) {
    const radios = Object.entries(DECISION_LABELS).map(([value, label]) => h('div', { class: 'fr-fieldset__element' },
      ui.radio(label, h('input', { type: 'radio', name: 'decision', id: `decision-${value}`, value, checked: value === 'approved' }))));
    const group = h('fieldset', { class: 'fr-fieldset decision-choice', id: 'decision-choice' },
      h('legend', { class: 'fr-fieldset__legend fr-fieldset__legend--regular' }, 'Décision'), radios);
    const decisionError = pointerSlot(group, '/decision');
    group.append(h('div', { class: 'fr-messages-group' }, decisionError.slot));
    const reason = h('textarea', { id: 'decision-reason', rows: '4', maxlength: '20000', required: true });
    const reasonLabel = h('span', {}, 'Motif (obligatoire, communiqué à la collectivité)');
    const reasonField = ui.field(reasonLabel, reason, { pointer: '/reason' });
    const reasonError = reasonField.error;
    const day = today();
    const rows = (current.themes || []).map((theme, index) => {
      const key = theme.replace(/[^a-zA-Z0-9_-]/g, '_');
      const since = h('input', { id: `label-since-${key}`, type: 'date', required: true, value: day });
      const until = h('input', { id: `label-until-${key}`, type: 'date', required: true, value: addYears(day, 3) });
      const name = themeLabel(themes, theme);
      const sinceField = ui.field(['Valable du', h('span', { class: 'fr-sr-only' }, ` (label « ${name} »)`)], since, { pointer: `/labels/${index}/since` });
      const untilField = ui.field(['Jusqu’au', h('span', { class: 'fr-sr-only' }, ` (label « ${name} »)`)], until, { pointer: `/labels/${index}/until` });
      const row = {
        theme, since, until, index,
        sinceError: sinceField.error,
        untilError: untilField.error,
      };
      row.node = h('li', { class: 'label-row', 'data-theme': theme },
        h('div', { class: 'label-theme' }, themeTag(name)),
        h('div', { class: 'row' }, sinceField, untilField));
      return row;
    });
    const labelsBox = h('fieldset', { class: 'fr-fieldset decision-labels', id: 'decision-labels' },
      h('legend', { class: 'fr-fieldset__legend fr-fieldset__legend--regular' }, 'Labels accordés (modifiables par thème)',
        h('span', { class: 'fr-hint-text' }, 'Par défaut, chaque label vaut à partir d’aujourd’hui pour la durée de validité configurée (3 ans sauf réglage contraire). Modifiez une date pour la fixer vous-même.')),
      h('div', { class: 'fr-fieldset__element' }, h('ol', { class: 'label-rows' }, rows.map((row) => row.node))));
    const labelsError = pointerSlot(labelsBox, /^\/labels(\/\d+(\/theme)?)?$/);
    labelsBox.append(h('div', { class: 'fr-messages-group' }, labelsError.slot));
    const status = h('div', { 'aria-live': 'polite' });
    const submit = ui.button('Enregistrer la décision', { type: 'submit' });
    const chosen = () => (group.querySelector('input[name="decision"]:checked') || {}).value;
    const sync = () => {
      const decision = chosen();
      labelsBox.hidden = decision !== 'approved';
      submit.textContent = decision === 'approved' ? 'Approuver et accorder les labels'
        : decision === 'rejected' ? 'Refuser la candidature' : 'Demander des informations';
      // Refusing is the form's main action too, said in words (and in the button's label).
      submit.classList.toggle('danger', decision === 'rejected');
      reasonLabel.textContent = decision === 'information_requested'
        ? 'Informations demandées (obligatoire, communiqué à la collectivité)'
        : 'Motif (obligatoire, communiqué à la collectivité)';
    };
    group.addEventListener('change', sync);
    sync();
    const clearAll = () => {
      [decisionError, reasonError, labelsError].forEach((slot) => slot.clear());
      rows.forEach((row) => { row.sinceError.clear(); row.untilError.clear(); });
      fill(status);
    };
    return h('section', { class: 'card', 'aria-labelledby': 'decision-title' },
      h('h2', { id: 'decision-title' }, 'Décision'),
      h('form', { class: 'app-decision-form', novalidate: true, onsubmit: async (event) => {
        event.preventDefault();
        clearAll();
        const decision = chosen();
        const body = { decision, reason: reason.value };
        if (decision === 'approved') {
          // The dates shown are the dates recorded: left to the service, "today" would be its
          // day (UTC), not the one the form showed (Paris), between midnight and 1 or 2 a.m.
          body.labels = rows.map((row) => ({ theme: row.theme, since: row.since.value, until: row.until.value }));
        }
        submit.disabled = true;
        try {
          await api.post(`/v1/label-applications/${encodeURIComponent(current.id)}/decision`, body);
          const said = decision === 'approved' ? 'Candidature approuvée : les labels sont inscrits au dossier de la collectivité.'
            : decision === 'rejected' ? 'Candidature refusée : la collectivité est prévenue.'
              : 'Informations demandées : la collectivité est prévenue.';
          await reload(said);
          session.toast(said);
        } catch (error) {
          submit.disabled = false;
          if (error.status === 409) {
            fill(status, conflictAlert(error));
            return;
          }
          const placed = [decisionError.show(error), reasonError.show(error), labelsError.show(error),
            ...rows.flatMap((row) => [row.sinceError.show(error), row.untilError.show(error)])].some(Boolean);
          if (!placed) fill(status, session.errorBox(error, 'Décision non enregistrée'));
          else fill(status, ui.alert('error', null, h('p', { class: 'field-error' }, 'Décision non enregistrée : corrigez les champs signalés.')));
          const invalid = document.querySelector('.app-decision-form [aria-invalid="true"]');
          if (invalid && invalid.focus) invalid.focus();
        }
      } },
      group,
      reasonField,
      labelsBox,
      h('div', { class: 'actions' }, submit),
      status));
  }

  function answerForm(current) {
    const message = h('textarea', { id: 'answer-message', rows: '5', maxlength: '20000', required: true });
    const messageField = ui.field('Votre réponse (obligatoire)', message, {
      pointer: '/message', hint: 'Vous pouvez aussi joindre des documents ci-contre avant de répondre.',
    });
    const messageError = messageField.error;
    const status = h('div', { 'aria-live': 'polite' });
    const submit = ui.button('Envoyer la réponse', { type: 'submit', icon: 'send-plane-line' });
    const request = latestWord(current);
    return h('section', { class: 'card', 'aria-labelledby': 'answer-title' },
      h('h2', { id: 'answer-title' }, 'Répondre à la DAECT'),
      request && h('div', { class: 'daect-message' }, h('h3', {}, 'Informations demandées'), h('blockquote', {}, request.reason)),
      h('form', { class: 'answer-form', novalidate: true, onsubmit: async (event) => {
        event.preventDefault();
        messageError.clear();
        fill(status);
        submit.disabled = true;
        try {
          await api.post(`/v1/label-applications/${encodeURIComponent(current.id)}/answer`, { message: message.value });
          await reload('Réponse envoyée : la candidature est de nouveau en cours d’examen.');
        } catch (error) {
          submit.disabled = false;
          if (error.status === 409) fill(status, conflictAlert(error));
          else if (!messageError.show(error)) fill(status, session.errorBox(error, 'Réponse non envoyée'));
          message.focus();
        }
      } },
      messageField,
      h('div', { class: 'actions' }, submit), status));
  }

  show(application);
  if (pending && pending.id === application.id) {
    const { message } = pending;
    pending = null;
    // Written once the region is in the page, so that screen readers announce the change.
    setTimeout(() => { if (stillCurrent()) ui.announce(announce, 'success', message); }, 100);
  }
}

// ---- An authority's label history ---------------------------------------------------------

const HISTORY_EVENTS = {
  granted: 'Accordé', renewed: 'Renouvelé', withdrawn: 'Retiré', expired: 'Expiré', changed: 'Modifié',
};

// GET /v1/collectivites/{id}/labels/history, oldest first, shown newest first.
export function labelHistorySection(session, collectivite, themes) {
  const section = h('section', { class: 'card label-history', 'aria-labelledby': 'label-history-title' });
  const title = h('h2', { id: 'label-history-title' }, 'Historique des labels de la collectivité');
  fill(section, title, h('p', { class: 'loading' }, 'Chargement…'));
  session.api.get(`/v1/collectivites/${encodeURIComponent(collectivite)}/labels/history`).then((history) => {
    const items = [...(history.items || [])].reverse();
    fill(section, title, items.length === 0
      ? h('p', { class: 'muted' }, 'Aucun changement de label enregistré.')
      : h('ol', { class: 'app-events history-events', reversed: true }, items.map((item) => h('li', { 'data-event': item.event, 'data-theme': item.theme },
        h('strong', {}, `${HISTORY_EVENTS[item.event] || item.event} : `), themeTag(themeLabel(themes, item.theme)),
        h('span', { class: 'muted' }, ` le ${formatDateTime(item.at)}`),
        h('div', {}, item.until ? `Validité du ${formatDate(item.since)} au ${formatDate(item.until)}` : (item.since ? `Valable depuis le ${formatDate(item.since)}` : '')),
        item.application && h('div', {}, h('a', { href: `#/candidature/${encodeURIComponent(item.application)}` }, 'Voir la candidature')),
        item.reason && h('blockquote', { class: 'app-reason' }, item.reason)))));
  }, (error) => fill(section, title, session.errorBox(error, 'Historique indisponible')));
  return section;
}

// ---- Labels à renouveler ------------------------------------------------------------------

function expiringTable(session, items, themes, withAuthority) {
  return ui.table('Labels à renouveler, les plus proches de leur fin d’abord',
    [withAuthority && 'Collectivité', 'Thème', 'Valable du', 'Jusqu’au', 'Jours restants', 'Renouvellement'].filter(Boolean),
    items.map((item) => h('tr', { 'data-collectivite': item.collectivite, 'data-theme': item.theme },
      withAuthority && h('td', {}, item.collectivite_name || item.collectivite, ' ', h('span', { class: 'muted id' }, item.collectivite)),
      h('td', {}, themeTag(item.theme_label || themeLabel(themes, item.theme))),
      h('td', {}, formatDate(item.since)),
      h('td', {}, formatDate(item.until)),
      h('td', { class: 'days-left' }, daysLeftBadge(item.days_left, plural(item.days_left, 'jour'))),
      h('td', { class: 'renewal' }, item.renewal_application
        ? h('a', { href: `#/candidature/${encodeURIComponent(item.renewal_application)}` }, 'Demande déposée')
        : [h('p', { class: 'muted' }, 'Aucune demande'),
          (session.role === 'collectivite' || session.can('fileApplication')) && ui.buttonLink('Demander le renouvellement',
            `#/candidatures/nouvelle?${new URLSearchParams({ collectivite: item.collectivite, renouvelle: item.theme })}`, {
              kind: 'secondary', size: 'sm', icon: 'refresh-line', class: 'renew',
              'aria-label': `Demander le renouvellement du label « ${item.theme_label || themeLabel(themes, item.theme)} »${withAuthority ? ` de ${item.collectivite_name || item.collectivite}` : ''}`,
            })]))),
    { hideCaption: true, class: 'expiring-table' });
}

// The days left before a label ends, as a DSFR badge: orange within 30 days, else blue.
function daysLeftBadge(days, text, extra) {
  return ui.badge(text, days <= 30 ? 'warning' : 'info', { class: ['days-left-badge', extra].filter(Boolean).join(' ') });
}

async function renderExpiring(main, session, params, stillCurrent) {
  const { api } = session;
  const asked = Number.parseInt(params.get('jours') || '90', 10);
  const days = EXPIRING_DAYS.includes(asked) ? asked : 90;
  const select = h('select', { id: 'expiring-days', onchange: () => { location.hash = `#/labels?jours=${select.value}`; } },
    EXPIRING_DAYS.map((n) => h('option', { value: String(n), selected: n === days }, `${n} jours`)));
  const results = h('div', { class: 'expiring-results', 'aria-live': 'polite' }, h('p', { class: 'loading' }, 'Chargement des labels…'));
  const exportStatus = h('p', { class: 'export-status', 'aria-live': 'polite' });
  const exportButton = ui.button('Exporter l’historique des labels (CSV)', { kind: 'secondary', icon: 'download-line', onclick: () =>
    downloadDocument(session, '/v1/labels/export.csv', `labels-${today()}.csv`, exportStatus) });
  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Labels à renouveler'),
      h('p', { class: 'muted' }, 'Les labels qui arrivent à échéance, les plus proches d’abord, et les demandes de renouvellement déposées.')),
    h('div', { class: 'card filters expiring-filters' }, ui.field('Échéance dans les', select),
      h('div', { class: 'export' }, exportButton, exportStatus)),
    results);
  let answer;
  try {
    answer = await api.get(`/v1/labels/expiring?days=${days}`);
  } catch (error) {
    if (stillCurrent()) fill(results, session.errorBox(error, 'Labels introuvables'));
    return;
  }
  const themes = await loadThemes(api).catch(() => new Map());
  if (!stillCurrent()) return;
  if (answer.items.length === 0) {
    fill(results, h('p', { class: 'empty' }, `Aucun label n’arrive à échéance dans les ${days} jours.`));
    return;
  }
  const waiting = answer.items.filter((item) => !item.renewal_application).length;
  fill(results,
    h('p', { class: 'count' }, `${plural(answer.items.length, 'label')} à échéance d’ici le ${formatDate(addDays(answer.as_of || today(), days))} — `,
      `${plural(waiting, 'sans demande', 'sans demande')} de renouvellement`),
    expiringTable(session, answer.items, themes, true));
}

// ---- The authority's space ----------------------------------------------------------------

// « Mes candidatures », loaded into a section of « Mon espace collectivité ».
export function authorityApplicationsSection(session) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'applications-title', id: 'applications' });
  const title = h('h2', { id: 'applications-title' }, 'Mes candidatures au label');
  const ask = h('p', {}, ui.buttonLink('Demander un label', '#/candidatures/nouvelle', { icon: 'award-line' }));
  fill(section, title, h('p', { class: 'loading' }, 'Chargement des candidatures…'));
  (async () => {
    let page;
    let themes;
    try {
      [page, themes] = await Promise.all([session.api.get('/v1/label-applications?limit=200'), loadThemes(session.api).catch(() => new Map())]);
    } catch (error) {
      fill(section, title, session.errorBox(error, 'Candidatures introuvables'), ask);
      return;
    }
    const items = [...page.items].sort((a, b) => (b.created_at || '').localeCompare(a.created_at || ''));
    fill(section, title, ask,
      items.length === 0
        ? h('p', { class: 'empty' }, 'Aucune candidature déposée.')
        : h('ul', { class: 'my-applications' }, items.map((application) => {
          const word = latestWord(application);
          return h('li', { class: 'my-application', 'data-application': application.id, 'data-status': application.status },
            h('div', { class: 'my-application-head' }, h('a', { href: `#/candidature/${encodeURIComponent(application.id)}` },
              (application.themes || []).map((theme) => themeLabel(themes, theme)).join(', ')), ' ', applicationStatusTag(application.status)),
            h('p', { class: 'muted' }, `Déposée le ${formatDateTime(application.created_at)} — mise à jour le ${formatDateTime(application.updated_at)}`),
            word && h('blockquote', { class: 'app-reason' },
              word.status === 'information_requested' ? 'Demande de la DAECT : ' : 'Motif de la DAECT : ', word.reason),
            application.status === 'information_requested' && h('p', {}, ui.buttonLink('Répondre', `#/candidature/${encodeURIComponent(application.id)}`, { size: 'sm', icon: 'send-plane-line' })));
        })));
  })();
  return section;
}

// The authority's own labels expiring within 90 days, with « Demander le renouvellement ».
export function authorityExpiringSection(session) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'expiring-title', id: 'expiring' });
  const title = h('h2', { id: 'expiring-title' }, 'Labels à renouveler');
  fill(section, title, h('p', { class: 'loading' }, 'Chargement…'));
  (async () => {
    let answer;
    let themes;
    try {
      [answer, themes] = await Promise.all([session.api.get('/v1/labels/expiring?days=90'), loadThemes(session.api).catch(() => new Map())]);
    } catch (error) {
      fill(section, title, session.errorBox(error, 'Labels introuvables'));
      return;
    }
    fill(section, title,
      answer.items.length === 0
        ? h('p', { class: 'muted' }, 'Aucun de vos labels n’arrive à échéance dans les 90 jours.')
        : [h('p', { class: 'muted' }, 'Vos labels qui arrivent à échéance dans les 90 jours.'),
          h('ul', { class: 'my-expiring' }, answer.items.map((item) => {
            const name = item.theme_label || themeLabel(themes, item.theme);
            return h('li', { 'data-theme': item.theme },
              h('div', { class: 'my-expiring-head' }, themeTag(name), ' ', `jusqu’au ${formatDate(item.until)}`, ' ',
                daysLeftBadge(item.days_left, `encore ${plural(item.days_left, 'jour')}`, 'days-left')),
              h('p', { class: 'renewal' }, item.renewal_application
                ? h('a', { href: `#/candidature/${encodeURIComponent(item.renewal_application)}` }, 'Demande de renouvellement déposée')
                : ui.buttonLink('Demander le renouvellement', `#/candidatures/nouvelle?${new URLSearchParams({ renouvelle: item.theme })}`, {
                  kind: 'secondary', size: 'sm', icon: 'refresh-line', class: 'renew',
                  'aria-label': `Demander le renouvellement du label « ${name} »`,
                })));
          }))]);
  })();
  return section;
}

// ---- Routes -------------------------------------------------------------------------------

// Renders the screen of `path` (one of screens.js's isCandidatureRoute) and returns true; returns false,
// rendering nothing, for a route an authority's key does not have (its space answers instead).
// An authority's key reaches the application form and its own applications only.
export async function renderCandidatureRoute(main, session, path, params, stillCurrent) {
  const refuse = (message) => {
    fill(main, h('h1', { class: 'fr-sr-only' }, 'Accès refusé'), session.errorBox(new Error(message)), h('p', {}, backLink('Retour à l’accueil', '#/')));
    return true;
  };
  const own = session.role === 'collectivite';
  const one = /^\/candidature\/(.+)$/.exec(path);
  if (path === '/candidatures/nouvelle') {
    if (!own && !session.can('fileApplication')) return refuse('Le dépôt d’une candidature est réservé à la DAECT et aux collectivités.');
    await renderApplicationForm(main, session, params, stillCurrent);
    return true;
  }
  if (one) {
    if (!own && !session.can('readApplications')) return refuse('Les candidatures sont réservées à la DAECT, aux analystes et à la collectivité concernée.');
    await renderApplication(main, session, decodeURIComponent(one[1]), stillCurrent);
    return true;
  }
  if (own) return false;
  if (path === '/labels') {
    if (!session.can('readExpiringLabels')) return refuse('Les labels à renouveler sont réservés à la DAECT et aux analystes.');
    await renderExpiring(main, session, params, stillCurrent);
    return true;
  }
  if (!session.can('readApplications')) return refuse('Les candidatures sont réservées à la DAECT et aux analystes.');
  await renderInbox(main, session, params, stillCurrent);
  return true;
}
