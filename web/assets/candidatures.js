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

export function applicationStatusTag(status) {
  return h('span', { class: `app-status as-${status}`, 'data-status': status }, APPLICATION_STATUS_LABELS[status] || status);
}

// An error slot under `input` for the API's errors whose pointer `matches` (a string: that
// pointer exactly; a RegExp: any pointer it matches). `show(error)` writes their French reasons
// there and returns true when there were some.
export function pointerSlot(input, matches) {
  const test = typeof matches === 'string' ? (pointer) => pointer === matches : (pointer) => matches.test(pointer);
  const slot = h('p', { class: 'field-error', id: `${input.id}-error`, hidden: true });
  const described = input.getAttribute('aria-describedby');
  input.setAttribute('aria-describedby', described ? `${described} ${slot.id}` : slot.id);
  return {
    slot,
    clear() {
      slot.hidden = true;
      slot.textContent = '';
      input.removeAttribute('aria-invalid');
    },
    // Writes `message` (a French sentence of the page's own) in the slot.
    say(message) {
      slot.textContent = message;
      slot.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    },
    show(error) {
      const mine = ((error && error.fields) || []).filter((field) => field.pointer !== undefined && test(field.pointer || ''));
      if (mine.length === 0) return false;
      this.say(mine.map((field) => `${field.label} : ${field.message}`).join(' ; '));
      return true;
    },
  };
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
    event.reason && h('blockquote', { class: 'app-reason' }, h('span', { class: 'visually-hidden' }, 'Motif : '), event.reason),
    event.message && h('blockquote', { class: 'app-message' }, h('span', { class: 'visually-hidden' }, 'Message : '), event.message))));
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
  const input = h('input', { id, type: 'file', multiple: true, accept: DOCUMENT_ACCEPT });
  const hint = h('p', { class: 'hint', id: `${id}-hint` }, 'PDF, ODT ou DOCX, 20 Mo au plus par fichier.');
  input.setAttribute('aria-describedby', hint.id);
  const error = pointerSlot(input, /^$/);
  const progress = h('progress', { id: `${id}-progress`, max: '100', value: '0', hidden: true });
  const progressLabel = h('label', { for: progress.id, hidden: true }, 'Progression de l’envoi');
  const progressText = h('span', { class: 'upload-status', role: 'status', 'aria-live': 'polite' });
  const files = () => [...(input.files || [])];
  return {
    input,
    node: h('div', { class: 'field documents-field' },
      h('label', { for: id }, label), input, hint, error.slot,
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
  const tabs = h('ul', { class: 'status-tabs', 'aria-label': 'Filtrer par statut' });
  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Candidatures au label'),
      h('p', { class: 'muted' }, 'Les demandes de label des collectivités, de la plus récente à la plus ancienne.'),
      session.can('fileApplication') && h('p', {}, h('a', { class: 'button secondary', href: '#/candidatures/nouvelle' }, 'Déposer une candidature pour une collectivité'))),
    h('nav', { class: 'card', 'aria-label': 'Statuts des candidatures' }, tabs),
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
    h('a', { href: hrefFor(status), class: 'status-tab', 'data-status': status || 'all', 'aria-current': status === chosen ? 'page' : null },
      status ? TAB_LABELS[status] : 'Toutes',
      counts[index] !== null && h('span', { class: 'tab-count' }, ` (${formatInteger(counts[index])})`)))));

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
    h('table', { class: 'needs-table applications-table' },
      h('caption', { class: 'visually-hidden' }, 'Candidatures, de la plus récente à la plus ancienne'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Collectivité'), h('th', { scope: 'col' }, 'Thèmes demandés'), h('th', { scope: 'col' }, 'Statut'),
        h('th', { scope: 'col' }, 'Déposée le'), h('th', { scope: 'col' }, 'Dernière mise à jour'))),
      h('tbody', {}, items.map((application) => h('tr', { 'data-application': application.id, 'data-status': application.status },
        h('td', { 'data-label': 'Collectivité' },
          h('a', { href: `#/candidature/${encodeURIComponent(application.id)}`, class: 'need-link' }, authorityName(application)),
          h('span', { class: 'muted id' }, application.id),
          application.renews && application.renews.length > 0 && h('span', { class: 'flag renewal' }, 'Renouvellement')),
        h('td', { 'data-label': 'Thèmes' }, (application.themes || []).map((theme) => h('span', { class: 'tag' }, themeLabel(themes, theme)))),
        h('td', { 'data-label': 'Statut' }, applicationStatusTag(application.status)),
        h('td', { 'data-label': 'Déposée le' }, formatDateTime(application.created_at)),
        h('td', { 'data-label': 'Mise à jour' }, formatDateTime(application.updated_at)))))),
    pages > 1 && h('nav', { class: 'pager', 'aria-label': 'Pages de candidatures' },
      pageNumber > 1 ? h('a', { class: 'button secondary small', href: hrefFor(chosen, pageNumber - 1), rel: 'prev' }, '← Précédentes') : null,
      h('span', { class: 'muted' }, ` Page ${pageNumber} sur ${pages} `),
      pageNumber < pages ? h('a', { class: 'button secondary small', href: hrefFor(chosen, pageNumber + 1), rel: 'next' }, 'Suivantes →') : null));
}

// ---- One application ----------------------------------------------------------------------

async function renderApplication(main, session, id, stillCurrent) {
  const { api } = session;
  fill(main, h('p', { class: 'loading' }, 'Chargement de la candidature…'));
  const [application, themes] = await Promise.all([
    api.get(`/v1/label-applications/${encodeURIComponent(id)}`),
    loadThemes(api).catch(() => new Map()),
  ]);
  if (!stillCurrent()) return;
  const announce = h('div', { class: 'authority-status', role: 'status', 'aria-live': 'polite' });
  const reload = async (message) => {
    const fresh = await api.get(`/v1/label-applications/${encodeURIComponent(id)}`);
    if (!stillCurrent()) return;
    show(fresh);
    if (message) announce.textContent = message;
  };

  function show(current) {
    const own = session.role === 'collectivite';
    const back = own ? h('a', { href: '#/' }, '← Mon espace collectivité') : h('a', { href: '#/candidatures' }, '← Candidatures');
    const actions = h('div', { class: 'app-actions' });
    fill(main,
      h('div', { class: 'page-head' },
        h('p', { class: 'breadcrumb' }, back),
        h('h1', {}, `Candidature de ${authorityName(current)}`),
        h('p', {}, applicationStatusTag(current.status), ' ', h('span', { class: 'muted id' }, current.id))),
      announce,
      h('div', { class: 'need-grid' },
        h('div', {},
          h('section', { class: 'card', 'aria-labelledby': 'app-facts-title' },
            h('h2', { id: 'app-facts-title' }, 'La demande'),
            h('dl', { class: 'facts' },
              h('dt', {}, 'Collectivité'), h('dd', { class: 'app-authority' }, authorityName(current), h('span', { class: 'muted' }, ` (${current.collectivite})`)),
              h('dt', {}, 'Thèmes demandés'), h('dd', { class: 'app-themes' }, (current.themes || []).map((theme) => h('span', { class: 'tag', 'data-theme': theme }, themeLabel(themes, theme)))),
              current.renews && current.renews.length > 0 && [h('dt', {}, 'Renouvellement de'),
                h('dd', {}, current.renews.map((theme) => h('span', { class: 'tag' }, themeLabel(themes, theme))))],
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
              h('span', { class: 'tag' }, themeLabel(themes, label.theme)), ' ',
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
    const button = h('button', { type: 'submit', class: 'secondary' }, 'Envoyer les documents');
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
      const button = h('button', { type: 'button', class: 'primary', onclick: async () => {
        button.disabled = true;
        fill(status);
        try {
          await api.post(`/v1/label-applications/${encodeURIComponent(current.id)}/review`, {});
          await reload('Candidature prise en charge : elle est en cours d’examen.');
        } catch (error) {
          button.disabled = false;
          fill(status, error.status === 409 ? h('p', { class: 'field-error', role: 'alert' }, conflictSentence(error)) : session.errorBox(error, 'Prise en charge impossible'));
        }
      } }, 'Prendre en charge');
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
    const radios = Object.entries(DECISION_LABELS).map(([value, label]) => {
      const input = h('input', { type: 'radio', name: 'decision', id: `decision-${value}`, value, checked: value === 'approved' });
      return h('div', { class: 'field checkbox' }, input, ' ', h('label', { for: input.id }, label));
    });
    const group = h('fieldset', { class: 'decision-choice', id: 'decision-choice' }, h('legend', {}, 'Décision'), radios);
    const decisionError = pointerSlot(group, '/decision');
    const reason = h('textarea', { id: 'decision-reason', rows: '4', maxlength: '20000', required: true });
    const reasonLabel = h('label', { for: reason.id }, 'Motif (obligatoire, communiqué à la collectivité)');
    const reasonError = pointerSlot(reason, '/reason');
    const day = today();
    const rows = (current.themes || []).map((theme, index) => {
      const key = theme.replace(/[^a-zA-Z0-9_-]/g, '_');
      const since = h('input', { id: `label-since-${key}`, type: 'date', required: true, value: day });
      const until = h('input', { id: `label-until-${key}`, type: 'date', required: true, value: addYears(day, 3) });
      const row = {
        theme, since, until, index,
        sinceError: pointerSlot(since, `/labels/${index}/since`),
        untilError: pointerSlot(until, `/labels/${index}/until`),
        initial: [since.value, until.value],
      };
      row.node = h('li', { class: 'label-row', 'data-theme': theme },
        h('p', { class: 'label-theme' }, h('span', { class: 'tag' }, themeLabel(themes, theme))),
        h('div', { class: 'row' },
          h('div', { class: 'field' }, h('label', { for: since.id }, 'Valable du', h('span', { class: 'visually-hidden' }, ` (label « ${themeLabel(themes, theme)} »)`)), since, row.sinceError.slot),
          h('div', { class: 'field' }, h('label', { for: until.id }, 'Jusqu’au', h('span', { class: 'visually-hidden' }, ` (label « ${themeLabel(themes, theme)} »)`)), until, row.untilError.slot)));
      return row;
    });
    const labelsBox = h('fieldset', { class: 'decision-labels', id: 'decision-labels' },
      h('legend', {}, 'Labels accordés (modifiables par thème)'),
      h('p', { class: 'hint' }, 'Par défaut, chaque label vaut à partir d’aujourd’hui pour la durée de validité configurée (3 ans sauf réglage contraire). Modifiez une date pour la fixer vous-même.'),
      h('ol', { class: 'label-rows' }, rows.map((row) => row.node)));
    const labelsError = pointerSlot(labelsBox, /^\/labels(\/\d+(\/theme)?)?$/);
    const status = h('div', { 'aria-live': 'polite' });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Enregistrer la décision');
    const chosen = () => (group.querySelector('input[name="decision"]:checked') || {}).value;
    const sync = () => {
      const decision = chosen();
      labelsBox.hidden = decision !== 'approved';
      submit.textContent = decision === 'approved' ? 'Approuver et accorder les labels'
        : decision === 'rejected' ? 'Refuser la candidature' : 'Demander des informations';
      submit.className = decision === 'rejected' ? 'danger' : 'primary';
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
          // The dates go only when one was changed: otherwise the service's configured validity applies.
          const edited = rows.some((row) => row.since.value !== row.initial[0] || row.until.value !== row.initial[1]);
          if (edited) body.labels = rows.map((row) => ({ theme: row.theme, since: row.since.value, until: row.until.value }));
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
            fill(status, h('p', { class: 'field-error', role: 'alert' }, conflictSentence(error)));
            return;
          }
          const placed = [decisionError.show(error), reasonError.show(error), labelsError.show(error),
            ...rows.flatMap((row) => [row.sinceError.show(error), row.untilError.show(error)])].some(Boolean);
          if (!placed) fill(status, session.errorBox(error, 'Décision non enregistrée'));
          else fill(status, h('p', { class: 'field-error' }, 'Décision non enregistrée : corrigez les champs signalés.'));
          const invalid = document.querySelector('.app-decision-form [aria-invalid="true"]');
          if (invalid && invalid.focus) invalid.focus();
        }
      } },
      group, decisionError.slot,
      reasonLabel, reason, reasonError.slot,
      labelsBox, labelsError.slot,
      h('div', { class: 'actions' }, submit),
      status));
  }

  function answerForm(current) {
    const message = h('textarea', { id: 'answer-message', rows: '5', maxlength: '20000', required: true });
    const messageError = pointerSlot(message, '/message');
    const status = h('div', { 'aria-live': 'polite' });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Envoyer la réponse');
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
          if (error.status === 409) fill(status, h('p', { class: 'field-error', role: 'alert' }, conflictSentence(error)));
          else if (!messageError.show(error)) fill(status, session.errorBox(error, 'Réponse non envoyée'));
          message.focus();
        }
      } },
      h('label', { for: message.id }, 'Votre réponse (obligatoire)'), message, messageError.slot,
      h('p', { class: 'hint' }, 'Vous pouvez aussi joindre des documents ci-contre avant de répondre.'),
      h('div', { class: 'actions' }, submit), status));
  }

  show(application);
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
        h('strong', {}, `${HISTORY_EVENTS[item.event] || item.event} : `), h('span', { class: 'tag' }, themeLabel(themes, item.theme)),
        h('span', { class: 'muted' }, ` le ${formatDateTime(item.at)}`),
        h('div', {}, item.until ? `Validité du ${formatDate(item.since)} au ${formatDate(item.until)}` : (item.since ? `Valable depuis le ${formatDate(item.since)}` : '')),
        item.application && h('div', {}, h('a', { href: `#/candidature/${encodeURIComponent(item.application)}` }, 'Voir la candidature')),
        item.reason && h('blockquote', { class: 'app-reason' }, item.reason)))));
  }, (error) => fill(section, title, session.errorBox(error, 'Historique indisponible')));
  return section;
}

// ---- Labels à renouveler ------------------------------------------------------------------

function expiringTable(session, items, themes, withAuthority) {
  return h('table', { class: 'needs-table expiring-table' },
    h('caption', { class: 'visually-hidden' }, 'Labels à renouveler, les plus proches de leur fin d’abord'),
    h('thead', {}, h('tr', {},
      withAuthority && h('th', { scope: 'col' }, 'Collectivité'),
      h('th', { scope: 'col' }, 'Thème'), h('th', { scope: 'col' }, 'Valable du'), h('th', { scope: 'col' }, 'Jusqu’au'),
      h('th', { scope: 'col' }, 'Jours restants'), h('th', { scope: 'col' }, 'Renouvellement'))),
    h('tbody', {}, items.map((item) => h('tr', { 'data-collectivite': item.collectivite, 'data-theme': item.theme },
      withAuthority && h('td', { 'data-label': 'Collectivité' }, item.collectivite_name || item.collectivite, ' ', h('span', { class: 'muted id' }, item.collectivite)),
      h('td', { 'data-label': 'Thème' }, h('span', { class: 'tag' }, item.theme_label || themeLabel(themes, item.theme))),
      h('td', { 'data-label': 'Valable du' }, formatDate(item.since)),
      h('td', { 'data-label': 'Jusqu’au' }, formatDate(item.until)),
      h('td', { 'data-label': 'Jours restants', class: 'days-left' },
        h('span', { class: item.days_left <= 30 ? 'flag late' : 'flag soon' }, plural(item.days_left, 'jour'))),
      h('td', { 'data-label': 'Renouvellement', class: 'renewal' }, item.renewal_application
        ? h('a', { href: `#/candidature/${encodeURIComponent(item.renewal_application)}` }, 'Demande déposée')
        : [h('span', { class: 'muted' }, 'Aucune demande'), ' ',
          (session.role === 'collectivite' || session.can('fileApplication')) && h('a', {
            class: 'button secondary small renew',
            href: `#/candidatures/nouvelle?${new URLSearchParams({ collectivite: item.collectivite, renouvelle: item.theme })}`,
            'aria-label': `Demander le renouvellement du label « ${item.theme_label || themeLabel(themes, item.theme)} »${withAuthority ? ` de ${item.collectivite_name || item.collectivite}` : ''}`,
          }, 'Demander le renouvellement')])))));
}

async function renderExpiring(main, session, params, stillCurrent) {
  const { api } = session;
  const asked = Number.parseInt(params.get('jours') || '90', 10);
  const days = EXPIRING_DAYS.includes(asked) ? asked : 90;
  const select = h('select', { id: 'expiring-days', onchange: () => { location.hash = `#/labels?jours=${select.value}`; } },
    EXPIRING_DAYS.map((n) => h('option', { value: String(n), selected: n === days }, `${n} jours`)));
  const results = h('div', { class: 'expiring-results', 'aria-live': 'polite' }, h('p', { class: 'loading' }, 'Chargement des labels…'));
  const exportStatus = h('span', { class: 'export-status', 'aria-live': 'polite' });
  const exportButton = h('button', { type: 'button', class: 'secondary small', onclick: () =>
    downloadDocument(session, '/v1/labels/export.csv', `labels-${today()}.csv`, exportStatus) }, 'Exporter l’historique des labels (CSV)');
  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Labels à renouveler'),
      h('p', { class: 'muted' }, 'Les labels qui arrivent à échéance, les plus proches d’abord, et les demandes de renouvellement déposées.')),
    h('div', { class: 'card filters' }, h('div', { class: 'field' }, h('label', { for: select.id }, 'Échéance dans les'), select),
      h('div', { class: 'field' }, exportButton, ' ', exportStatus)),
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
  const ask = h('p', {}, h('a', { class: 'button primary', href: '#/candidatures/nouvelle' }, 'Demander un label'));
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
            h('p', {}, h('a', { href: `#/candidature/${encodeURIComponent(application.id)}` },
              (application.themes || []).map((theme) => themeLabel(themes, theme)).join(', ')), ' ', applicationStatusTag(application.status)),
            h('p', { class: 'muted' }, `Déposée le ${formatDateTime(application.created_at)} — mise à jour le ${formatDateTime(application.updated_at)}`),
            word && h('blockquote', { class: 'app-reason' },
              word.status === 'information_requested' ? 'Demande de la DAECT : ' : 'Motif de la DAECT : ', word.reason),
            application.status === 'information_requested' && h('p', {}, h('a', { class: 'button primary small', href: `#/candidature/${encodeURIComponent(application.id)}` }, 'Répondre')));
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
              h('p', {}, h('span', { class: 'tag' }, name), ' ', `jusqu’au ${formatDate(item.until)}`, ' ',
                h('span', { class: item.days_left <= 30 ? 'flag late days-left' : 'flag soon days-left' }, `encore ${plural(item.days_left, 'jour')}`)),
              h('p', { class: 'renewal' }, item.renewal_application
                ? h('a', { href: `#/candidature/${encodeURIComponent(item.renewal_application)}` }, 'Demande de renouvellement déposée')
                : h('a', {
                  class: 'button secondary small renew',
                  href: `#/candidatures/nouvelle?${new URLSearchParams({ renouvelle: item.theme })}`,
                  'aria-label': `Demander le renouvellement du label « ${name} »`,
                }, 'Demander le renouvellement')));
          }))]);
  })();
  return section;
}

// ---- Routes -------------------------------------------------------------------------------

export function isCandidatureRoute(path) {
  return path === '/candidatures' || path === '/candidatures/nouvelle' || /^\/candidature\/.+$/.test(path) || path === '/labels';
}

// Renders the screen of `path` (one of isCandidatureRoute's) and returns true; returns false,
// rendering nothing, for a route an authority's key does not have (its space answers instead).
// An authority's key reaches the application form and its own applications only.
export async function renderCandidatureRoute(main, session, path, params, stillCurrent) {
  const refuse = (message) => {
    fill(main, session.errorBox(new Error(message)), h('p', {}, h('a', { href: '#/' }, 'Retour à l’accueil')));
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
