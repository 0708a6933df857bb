// A mission's report on the page. The authority's side (« Mes missions »): the document's upload
// (PUT /v1/needs/{id}/report/document, the file as the body, with a progress bar) and the
// structured summary (PUT /v1/needs/{id}/report). DAECT's side (a need's page): the summary, the
// document's download and DAECT's two ratings. Both read GET /v1/needs/{id}/report. Built with
// the State design system's components (ui.js): DSFR upload, fields, badges and alerts.
import { h, fill } from './dom.js';
import { ApiError, NetworkError } from './api.js';
import { formatDate, formatDateTime } from './format.js';
import * as ui from './ui.js';

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

// The document types the API accepts, by file extension.
const TYPES = {
  pdf: 'application/pdf',
  odt: 'application/vnd.oasis.opendocument.text',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};
const TYPE_NAMES = { [TYPES.pdf]: 'PDF', [TYPES.odt]: 'ODT', [TYPES.docx]: 'DOCX' };

const SUMMARY_FIELDS = [
  ['resultats', 'Résultats'],
  ['recommandations', 'Recommandations'],
  ['suites_envisagees', 'Suites envisagées'],
];

// The Content-Type sent for `file`: from its extension; an unknown one goes as the browser
// guessed it (or octet-stream) so that the server's 415 says it is not accepted.
export function documentType(file) {
  const extension = /\.([a-z0-9]+)$/i.exec(file.name || '');
  return (extension && TYPES[extension[1].toLowerCase()]) || file.type || 'application/octet-stream';
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} octets`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Ko`;
  return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

// « Rapport attendu avant le … », « remis le … », « en retard », from a report's GET.
function reportState(report) {
  return h('p', { class: 'report-state' },
    report.delivered
      ? h('span', { class: 'report-delivered fr-icon-checkbox-circle-line' }, `Rapport remis le ${formatDate(report.delivered)}`)
      : [`Rapport attendu avant le ${formatDate(report.due)}`,
        report.overdue && ui.badge('en retard', 'warning', { class: 'report-late' })]);
}

function documentLine(document) {
  if (!document) return h('p', { class: 'muted document-line' }, 'Aucun document déposé.');
  return h('p', { class: 'document-line' },
    `Document ${TYPE_NAMES[document.content_type] || document.content_type} déposé le ${formatDateTime(document.uploaded_at)} (${formatBytes(document.bytes)})`,
    document.text_extracted ? '' : ' — son texte n’a pas pu être extrait pour la recherche');
}

// Sends `file` as the need's report document (with its upload progress). Resolves with the
// stored document's metadata; rejects with an ApiError (its problem document) or a NetworkError.
function uploadDocument(session, needId, file, storedSha, onProgress) {
  const headers = { 'Content-Type': documentType(file) };
  if (storedSha) headers['If-Match'] = `"${storedSha}"`;
  return session.api.sendFile('PUT', `/v1/needs/${encodeURIComponent(needId)}/report/document`, file, headers, onProgress);
}

// The French sentence for a refused upload, shown beside the file field.
function uploadRefusal(error) {
  if (error.status === 413) return 'Document refusé : fichier trop volumineux (20 Mo au plus).';
  if (error.status === 415) return 'Document refusé : type non accepté (PDF, ODT ou DOCX seulement).';
  if (error.status === 409) {
    return 'Document refusé : le document enregistré a changé entre-temps (409). Rechargez la page puis recommencez.';
  }
  return `Document refusé : ${error.message}`;
}

// The authority's « Rapport de mission » for one of its missions (`item` from GET /v1/missions).
export function authorityReportSection(session, item, say) {
  const need = item.need;
  const key = need.id.replace(/[^a-zA-Z0-9_-]/g, '_');
  const section = h('section', { class: 'report-section', 'aria-labelledby': `report-${key}-title`, 'data-need': need.id });
  const title = h('h4', { id: `report-${key}-title` }, 'Rapport de mission');
  if (!item.mission) {
    return fill(section, title, h('p', { class: 'muted' }, 'Enregistrez d’abord les dates de la mission : le rapport se dépose ensuite ici.'));
  }
  fill(section, title, h('p', { class: 'muted' }, 'Chargement du rapport…'));
  const load = async () => {
    let report;
    try {
      report = await session.api.get(`/v1/needs/${encodeURIComponent(need.id)}/report`);
    } catch (error) {
      fill(section, title, session.errorBox(error, 'Rapport introuvable'));
      return;
    }
    fill(section, title, reportState(report), documentForm(report), summaryForm(report));
  };

  function documentForm(report) {
    const stored = report.document;
    const input = h('input', { id: `report-file-${key}`, class: 'fr-upload', type: 'file', accept: '.pdf,.odt,.docx,application/pdf,application/vnd.oasis.opendocument.text,application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    const hint = h('span', { class: 'fr-hint-text', id: `report-file-${key}-hint` }, stored
      ? 'Un document est déjà déposé : en envoyer un autre le remplace. 20 Mo au plus.'
      : '20 Mo au plus.');
    input.setAttribute('aria-describedby', hint.id);
    const group = h('div', { class: 'fr-upload-group' },
      h('label', { class: 'fr-label', for: input.id }, stored ? 'Nouveau document (PDF, ODT ou DOCX)' : 'Document du rapport (PDF, ODT ou DOCX)', hint),
      input);
    // The refusal, under the field (and said: the messages group is a live region).
    const fileError = ui.errorSlot(input, null);
    group.append(h('div', { class: 'fr-messages-group', 'aria-live': 'polite' }, fileError.slot));
    const progress = h('progress', { id: `report-progress-${key}`, max: '100', value: '0', hidden: true });
    const progressLabel = h('label', { class: 'fr-label', for: progress.id, hidden: true }, 'Progression de l’envoi');
    const progressText = h('span', { class: 'upload-status', role: 'status', 'aria-live': 'polite' });
    // Replacing the stored document is said and confirmed before If-Match is sent.
    const confirm = stored && h('input', { id: `report-replace-${key}`, name: `report-replace-${key}` });
    const button = ui.button(stored ? 'Remplacer le document' : 'Envoyer le document', { type: 'submit', icon: 'upload-2-line' });
    return h('form', { class: 'report-upload', 'aria-label': 'Document du rapport', onsubmit: async (event) => {
      event.preventDefault();
      fileError.clear();
      const file = input.files && input.files[0];
      if (!file) {
        fileError.say('Choisissez d’abord le fichier du rapport.');
        return;
      }
      if (confirm && !confirm.checked) {
        fileError.say('Cochez « Remplacer le document déjà déposé » pour confirmer le remplacement.');
        return;
      }
      if (file.size > MAX_DOCUMENT_BYTES) {
        fileError.say('Document refusé : fichier trop volumineux (20 Mo au plus).');
        return;
      }
      button.disabled = true;
      progress.hidden = false;
      progressLabel.hidden = false;
      progress.value = 0;
      progressText.textContent = 'Envoi : 0 %';
      try {
        const document = await uploadDocument(session, need.id, file, stored && stored.sha256, (share) => {
          const percent = Math.min(100, Math.round(share * 100));
          progress.value = percent;
          progressText.textContent = `Envoi : ${percent} %`;
        });
        progress.value = 100;
        progressText.textContent = `Envoi : 100 % — Document reçu (${formatBytes(document.bytes)}).`;
        if (say) say(`Document du rapport reçu pour la mission ${need.id}.`);
        const status = progressText.textContent;
        await load();
        const again = section.querySelector('.upload-status');
        const bar = section.querySelector('progress');
        if (again && bar) {
          bar.hidden = false;
          bar.value = 100;
          bar.previousElementSibling.hidden = false;
          again.textContent = status;
        }
      } catch (error) {
        button.disabled = false;
        progress.hidden = true;
        progressLabel.hidden = true;
        progressText.textContent = 'Envoi interrompu.';
        fileError.say(uploadRefusal(error));
      }
    } },
    group,
    documentLine(stored),
    confirm && ui.checkbox('Remplacer le document déjà déposé (l’ancien ne sera plus consultable)', confirm),
    h('div', { class: 'upload-progress' }, progressLabel, progress, progressText),
    ui.buttonsGroup(button));
  }

  function summaryForm(report) {
    const summary = report.summary || {};
    const status = h('div', { class: 'form-status summary-status', 'aria-live': 'polite' });
    const areas = SUMMARY_FIELDS.map(([name, label]) => {
      const area = h('textarea', { id: `report-${name}-${key}`, rows: '3', maxlength: '20000', required: true, value: summary[name] || '' });
      const group = ui.field(label, area, { pointer: `/${name}` });
      return { name, label, area, group, error: group.error };
    });
    const button = ui.button('Enregistrer la synthèse', { type: 'submit' });
    return h('form', { class: 'report-summary', 'aria-labelledby': `report-summary-${key}-title`, novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      fill(status);
      for (const field of areas) field.error.clear();
      const body = Object.fromEntries(areas.map((field) => [field.name, field.area.value.trim()]));
      button.disabled = true;
      try {
        await session.api.put(`/v1/needs/${encodeURIComponent(need.id)}/report`, body);
        if (say) say(`Synthèse du rapport enregistrée pour la mission ${need.id}.`);
        await load();
        const again = section.querySelector('.report-summary .summary-status');
        if (again) ui.announce(again, 'success', 'Synthèse enregistrée.');
      } catch (error) {
        button.disabled = false;
        const placed = areas.map((field) => field.error.show(error)).some(Boolean);
        if (!placed) fill(status, session.errorBox(error, 'Synthèse non enregistrée'));
      }
    } },
    h('h5', { id: `report-summary-${key}-title`, class: 'fr-h6' }, 'Synthèse'),
    areas.map((field) => field.group),
    ui.buttonsGroup(button), status);
  }

  load();
  return section;
}

// Fetches the report's document with the key (the API needs the Authorization header) and
// saves it as a file.
async function downloadDocument(session, needId, status) {
  fill(status);
  let response;
  try {
    response = await fetch(`/v1/needs/${encodeURIComponent(needId)}/report/document`,
      { headers: { Authorization: `Bearer ${session.api.key}` } });
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
  const disposition = response.headers.get('Content-Disposition') || '';
  const named = /filename="?([^";]+)"?/.exec(disposition);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: named ? named[1] : `rapport-${needId}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// DAECT's view of a need's report: state, summary, the document and the two ratings. The
// panel's polite live region stays while its content is reloaded, so the saved ratings are said.
export function daectReportPanel(session, need) {
  const title = h('h2', { id: 'report-title' }, 'Rapport de mission');
  const body = h('div', { class: 'report-body' }, h('p', { class: 'muted' }, 'Chargement du rapport…'));
  const live = h('div', { class: 'report-live', role: 'status', 'aria-live': 'polite' });
  const section = h('section', { class: 'card report-panel', 'aria-labelledby': 'report-title' }, title, live, body);
  const load = async () => {
    let report;
    try {
      report = await session.api.get(`/v1/needs/${encodeURIComponent(need.id)}/report`);
    } catch (error) {
      if (error.status === 404) fill(body, h('p', { class: 'muted' }, 'Pas encore de mission enregistrée : pas de rapport.'));
      else fill(body, session.errorBox(error, 'Rapport introuvable'));
      return;
    }
    const downloadStatus = h('div', { 'aria-live': 'polite' });
    fill(body,
      reportState(report),
      documentLine(report.document),
      report.document && ui.buttonsGroup(ui.button('Télécharger le document', {
        kind: 'secondary', size: 'sm', icon: 'download-line', class: 'download-report',
        onclick: () => downloadDocument(session, need.id, downloadStatus),
      })),
      downloadStatus,
      report.summary
        ? h('dl', { class: 'facts report-summary-view' }, SUMMARY_FIELDS.map(([name, label]) => [
          h('dt', {}, label), h('dd', { 'data-field': name }, report.summary[name])]))
        : h('p', { class: 'muted' }, 'Synthèse pas encore remise par la collectivité.'),
      session.can('rateReport') && ratingForm(report));
  };

  function ratingForm(report) {
    const select = (id, current) => h('select', { id, disabled: !report.summary },
      h('option', { value: '' }, 'Pas de note'),
      [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n), selected: current === n }, `${n} / 5`)));
    const daect = select('report-daect-rating', report.daect_rating);
    const partner = select('report-partner-rating', report.partner_rating);
    const daectField = ui.field('Note de la DAECT', daect, { pointer: '/daect_rating' });
    const partnerField = ui.field('Note du partenaire étranger', partner, { pointer: '/partner_rating' });
    const status = h('div', { class: 'form-status ratings-status', 'aria-live': 'polite' });
    const button = ui.button('Enregistrer les notes', { type: 'submit', disabled: !report.summary });
    return h('form', { class: 'report-ratings', 'aria-labelledby': 'report-ratings-title', onsubmit: async (event) => {
      event.preventDefault();
      fill(status);
      daectField.error.clear();
      partnerField.error.clear();
      button.disabled = true;
      try {
        await session.api.put(`/v1/needs/${encodeURIComponent(need.id)}/report`, {
          ...report.summary,
          daect_rating: daect.value ? Number(daect.value) : null,
          partner_rating: partner.value ? Number(partner.value) : null,
        });
        await load();
        ui.announce(live, 'success', 'Notes du rapport enregistrées.');
      } catch (error) {
        button.disabled = false;
        if (![daectField.error.show(error), partnerField.error.show(error)].some(Boolean)) fill(status, session.errorBox(error, 'Notes non enregistrées'));
      }
    } },
    h('h3', { id: 'report-ratings-title', class: 'fr-h6' }, 'Notes de la mission'),
    !report.summary && h('p', { class: 'fr-hint-text' }, 'Les notes se donnent une fois la synthèse remise.'),
    h('div', { class: 'row' }, daectField, partnerField),
    ui.buttonsGroup(button), status);
  }

  load();
  return section;
}
