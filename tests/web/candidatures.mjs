// Browser tests of the label applications' pages (« Candidatures », « Demander un label »,
// « Labels à renouveler »), in Debian's Chromium driven by playwright-core, against a real
// `expectmatch serve` on an ephemeral port with a fresh database.
//   node --test candidatures.mjs
// Environment: EXPECTMATCH_BINARY (default build/app/expectmatch), EXPECTMATCH_SCREENSHOTS
// (default docs/screenshots). Expected states are read from the API itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, watchedPage, signInWith, audit, parisDay, plusDays } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BINARY = process.env.EXPECTMATCH_BINARY || path.join(ROOT, 'build/app/expectmatch');
const SHOTS = process.env.EXPECTMATCH_SCREENSHOTS || path.join(ROOT, 'docs/screenshots');

let server;
let browser;
let files;
const pageProblems = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  files = mkdtempSync(path.join(tmpdir(), 'expectmatch-applications-'));
  server = await startServer(BINARY);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (files) rmSync(files, { recursive: true, force: true });
});

const newPage = () => watchedPage(browser, pageProblems);
const signIn = (page, key) => signInWith(page, server.base, key);

function plusYears(day, years) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

// The sample's cooperation links (the data set the server starts from).
const SAMPLE_COOPERATIONS = JSON.parse(readFileSync(path.join(ROOT, 'datasets/sample/cooperations.json'), 'utf8'));

// An open need and an authority the label filter excludes from it, which would pass the other
// filters (a working language in common) once labelled on the need's themes, and which has a
// recorded cooperation link to cite.
async function needAndUnlabelledAuthority() {
  const day = parisDay();
  const needs = (await server.api('GET', '/v1/needs?status=submitted&limit=200')).body.items;
  const themes = new Map((await server.api('GET', '/v1/themes')).body.items.map((theme) => [theme.id, theme]));
  for (const need of needs) {
    if (need.themes.length === 0 || need.period.start <= day) continue;
    // Themes the form offers (sub-themes, under their domain).
    if (!need.themes.every((theme) => themes.has(theme.theme) && themes.get(theme.theme).parent)) continue;
    const match = await server.api('POST', '/v1/match', { need_id: need.id, k: 50, explain: false, include_excluded: true });
    assert.equal(match.status, 200);
    for (const item of match.body.excluded.items || []) {
      if (item.filter !== 'no_active_label') continue;
      const record = (await server.api('GET', `/v1/collectivites/${encodeURIComponent(item.collectivite.id)}`)).body;
      const languages = need.languages || [];
      if (languages.length > 0 && !languages.some((language) => (record.languages || []).includes(language))) continue;
      const link = SAMPLE_COOPERATIONS.find((one) => one.collectivite === record.id && one.partner && one.partner.id);
      if (!link) continue;
      return { need, authority: record, link };
    }
  }
  return null;
}

test('apply → DAECT takes it, asks for information → the authority answers → DAECT approves → the new label ranks the authority', async () => {
  const found = await needAndUnlabelledAuthority();
  assert.ok(found, 'no open need with an authority excluded only for want of a label');
  const { need, authority, link } = found;
  const themeIds = need.themes.map((theme) => theme.theme);
  const themeList = (await server.api('GET', '/v1/themes')).body.items;
  const labelOf = (id) => themeList.find((theme) => theme.id === id).label;
  const authorityKey = server.createKey('collectivite', authority.id);

  // Before approval the label filter keeps the authority out of the need's shortlist page.
  const daect = await newPage();
  await signIn(daect, server.key);
  await daect.goto(`${server.base}/#/besoin/${encodeURIComponent(need.id)}`);
  await daect.waitForFunction(() => document.querySelector('.results') && document.querySelector('.results').getAttribute('aria-busy') === 'false');
  assert.equal(await daect.locator(`.candidate[data-id="${authority.id}"]`).count(), 0);
  await daect.locator('.filters-list summary', { hasText: 'Pas de label valide sur la période' }).click();
  assert.ok((await daect.locator('.filters-list details[open] .excluded-names li').allInnerTexts())
    .some((text) => text.startsWith(authority.name)), `${authority.name} is not listed under the label filter`);

  // The authority applies from its space.
  const pdf = path.join(files, 'bilan-cooperation.pdf');
  writeFileSync(pdf, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('% bilan des actions\n'.repeat(3000)), Buffer.from('%%EOF\n')]));
  const own = await newPage();
  await signIn(own, authorityKey);
  await own.locator('#applications .empty').waitFor();
  assert.equal(await own.locator('#applications .empty').innerText(), 'Aucune candidature déposée.');
  await own.locator('#expiring .loading').waitFor({ state: 'detached' });
  await audit(own, 'authority space, no application yet');
  await own.locator('#applications').getByRole('link', { name: 'Demander un label' }).click();
  await own.getByRole('heading', { level: 1, name: 'Demander un label' }).waitFor();
  assert.match(await own.locator('.app-authority').innerText(), new RegExp(authority.name));
  await audit(own, 'application form (authority), empty');

  // Too short a justification, no theme, a cooperation the authority does not have: refused
  // beside each field; nothing is stored.
  await own.getByLabel('Justification de la demande (obligatoire)').fill('Trop court.');
  await own.getByRole('button', { name: 'Ajouter une coopération' }).click();
  await own.getByLabel('Pays (code ISO, ex. SN)').fill(link.country);
  await own.getByLabel('Collectivité partenaire').fill('Commune imaginaire');
  await own.getByRole('button', { name: 'Déposer la candidature' }).click();
  await own.locator('#application-evidence-error').waitFor();
  assert.match(await own.locator('#application-evidence-error').innerText(), /^Justification : doit compter de 20 à 20\s?000 caractères$/);
  assert.equal(await own.getByLabel('Justification de la demande (obligatoire)').getAttribute('aria-invalid'), 'true');
  assert.equal(await own.locator('#application-themes-error').innerText(), 'Thèmes : choisissez au moins un thème');
  assert.match(await own.locator('.cooperation-rows .field-error:not([hidden])').innerText(),
    /^Coopérations, n° 1 : ne correspond à aucune coopération enregistrée de la collectivité/);
  assert.equal(await own.getByLabel('Collectivité partenaire').getAttribute('aria-invalid'), 'true');
  // Each refused field is drawn as DSFR draws an error (its group turns red).
  assert.equal(await own.locator('.fr-input-group--error #application-evidence').count(), 1);
  assert.equal(await own.locator('#application-themes.fr-fieldset--error').count(), 1);
  assert.equal((await server.api('GET', '/v1/label-applications?limit=1')).body.total, 0);
  await audit(own, 'application form (authority), with field errors');
  await own.getByLabel('Collectivité partenaire').fill(link.partner.name);

  for (const id of themeIds) {
    const box = own.locator(`.application-themes input[type="checkbox"][value="${id}"]`);
    if (!(await box.isVisible())) await own.locator('.theme-domain', { has: own.locator(`input[value="${id}"]`) }).locator('summary').click();
    // DSFR draws the box on the label, which takes the click (as a person's click).
    await own.locator(`label[for="${await box.getAttribute('id')}"]`).check();
    assert.ok(await box.isChecked());
  }
  const evidence = `${authority.name} conduit depuis dix ans des projets sur ces thèmes avec ses partenaires, et en a tiré des méthodes éprouvées.`;
  await own.getByLabel('Justification de la demande (obligatoire)').fill(evidence);
  // A corrected field loses its error at once; the themes too, once one is ticked.
  assert.equal(await own.locator('#application-evidence-error').isHidden(), true);
  assert.equal(await own.getByLabel('Justification de la demande (obligatoire)').getAttribute('aria-invalid'), null);
  assert.equal(await own.locator('#application-themes-error').isHidden(), true);
  await own.getByRole('button', { name: 'Ajouter une action' }).click();
  await own.getByLabel('Intitulé de l’action').fill('Plan local de formation des agents');
  await own.getByLabel('Année').fill('2023');
  await own.getByLabel('Description').fill('Formation de quarante agents aux méthodes de coopération.');
  await own.getByLabel('Pièces justificatives (facultatif)').setInputFiles(pdf);
  await audit(own, 'application form (authority), filled');
  await own.screenshot({ path: path.join(SHOTS, 'candidatures-form.png'), fullPage: true });
  await own.getByRole('button', { name: 'Déposer la candidature' }).click();
  await own.getByRole('heading', { level: 1, name: `Candidature de ${authority.name}` }).waitFor();
  const listed = (await server.api('GET', '/v1/label-applications?limit=10', undefined, authorityKey)).body;
  assert.equal(listed.total, 1);
  const applicationId = listed.items[0].id;
  let stored = (await server.api('GET', `/v1/label-applications/${applicationId}`)).body;
  assert.equal(stored.status, 'received');
  assert.deepEqual([...stored.themes].sort(), [...themeIds].sort());
  assert.equal(stored.evidence, evidence);
  assert.deepEqual(stored.territorial_actions.map((action) => [action.title, action.year]), [['Plan local de formation des agents', 2023]]);
  assert.deepEqual(stored.cooperations.map((one) => [one.country, one.partner]), [[link.country, link.partner.name]]);
  assert.equal(stored.documents.length, 1);
  assert.equal(stored.documents[0].filename, 'bilan-cooperation.pdf');
  assert.equal(stored.documents[0].content_type, 'application/pdf');
  await own.locator('.app-status[data-status="received"]').waitFor();
  // (textContent: DSFR's badges are drawn in capitals.)
  assert.equal(await own.locator('.page-head .app-status').textContent(), 'Reçue');
  // Filing is announced on the application's page (a polite live region).
  await own.locator('.authority-status', { hasText: `Candidature déposée pour ${authority.name}.` }).waitFor();
  await audit(own, 'application received (authority)');
  // A document of a type the service refuses: said under the upload field, nothing is stored.
  const notes = path.join(files, 'notes.txt');
  writeFileSync(notes, 'Quelques notes de travail.\n');
  await own.locator('#app-more-documents').setInputFiles(notes);
  await own.getByRole('button', { name: 'Envoyer les documents' }).click();
  await own.locator('#app-more-documents-error:not([hidden])').waitFor();
  assert.equal(await own.locator('#app-more-documents-error').innerText(), '« notes.txt » refusé : type non accepté (PDF, ODT ou DOCX seulement).');
  assert.equal(await own.locator('.fr-upload-group--error #app-more-documents').count(), 1);
  assert.equal((await server.api('GET', `/v1/label-applications/${applicationId}`)).body.documents.length, 1);
  await audit(own, 'documents upload, a file refused');
  assert.equal(await own.locator('.app-documents .document-link').innerText(), 'bilan-cooperation.pdf');
  // The authority takes no decision.
  assert.equal(await own.getByRole('button', { name: 'Prendre en charge' }).count(), 0);

  // DAECT: « Candidatures », the « Reçue » tab, the application, « Prendre en charge ».
  await daect.getByRole('link', { name: 'Candidatures', exact: true }).click();
  await daect.locator('.applications-table').waitFor();
  assert.equal(await daect.locator('.status-tab[aria-current="page"]').getAttribute('data-status'), 'all');
  await audit(daect, 'candidatures inbox, « Toutes » tab');
  await daect.locator('.status-tab[data-status="received"]').click();
  // The « Toutes » table holds the row too: wait for the tab's own table before reading it.
  await daect.locator('.status-tab[data-status="received"][aria-current="page"]').waitFor();
  const row = daect.locator(`.applications-table tr[data-application="${applicationId}"]`);
  await row.waitFor();
  assert.equal(await daect.locator('.status-tab[aria-current="page"]').getAttribute('data-status'), 'received');
  assert.equal(await daect.locator('.applications-table tbody tr:not([data-status="received"])').count(), 0);
  assert.equal(await row.locator('.app-status').textContent(), 'Reçue');
  await audit(daect, 'candidatures inbox, « Reçues » tab');
  await row.getByRole('link', { name: authority.name }).click();
  await daect.getByRole('heading', { level: 1, name: `Candidature de ${authority.name}` }).waitFor();
  assert.equal(await daect.locator('.app-evidence').innerText(), evidence);
  assert.deepEqual(await daect.locator('.app-themes .theme-tag').allInnerTexts(), stored.themes.map(labelOf));
  // The document downloads with the key: the same bytes.
  const [download] = await Promise.all([daect.waitForEvent('download'), daect.locator('.app-documents .document-link').click()]);
  const saved = path.join(files, 'downloaded.pdf');
  await download.saveAs(saved);
  assert.deepEqual(readFileSync(saved), readFileSync(pdf));
  await audit(daect, 'application received (DAECT, review offered)');
  await daect.getByRole('button', { name: 'Prendre en charge' }).click();
  await daect.locator('.page-head .app-status[data-status="under_review"]').waitFor();
  assert.equal((await server.api('GET', `/v1/label-applications/${applicationId}`)).body.status, 'under_review');
  assert.equal(await daect.locator('.authority-status').innerText(), 'Candidature prise en charge : elle est en cours d’examen.');
  // The button is gone with the step: the keyboard resumes from the page's title.
  assert.equal(await daect.evaluate(() => document.activeElement.tagName), 'H1');
  await audit(daect, 'application under review, decision form open');

  // A request for information without its reason: refused beside the field, nothing changes.
  await daect.locator('label[for="decision-information_requested"]').check();
  assert.ok(await daect.getByLabel('Demander des informations').isChecked());
  await daect.getByRole('button', { name: 'Demander des informations' }).click();
  await daect.locator('#decision-reason-error').waitFor();
  assert.match(await daect.locator('#decision-reason-error').innerText(), /^Motif : /);
  assert.equal((await server.api('GET', `/v1/label-applications/${applicationId}`)).body.status, 'under_review');
  assert.equal(await daect.locator('#decision-reason').getAttribute('aria-invalid'), 'true');
  await audit(daect, 'decision form, reason missing');
  const request = 'Précisez les résultats obtenus et joignez le bilan financier de la dernière action.';
  await daect.getByLabel('Informations demandées (obligatoire, communiqué à la collectivité)').fill(request);
  await daect.getByRole('button', { name: 'Demander des informations' }).click();
  await daect.locator('.page-head .app-status[data-status="information_requested"]').waitFor();
  assert.match(await daect.locator('.app-events:not(.history-events)').innerText(), new RegExp(request.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await daect.locator('.authority-status').innerText(), 'Informations demandées : la collectivité est prévenue.');
  await audit(daect, 'application, information requested (DAECT)');

  // The authority sees the request in « Mes candidatures » and answers it.
  await own.goto(`${server.base}/#/`);
  const mine = own.locator(`#applications .my-application[data-application="${applicationId}"]`);
  await mine.waitFor();
  assert.match(await mine.textContent(), /Informations demandées[\s\S]*Demande de la DAECT : Précisez les résultats obtenus/);
  await audit(own, '« Mes candidatures », information requested');
  await mine.getByRole('link', { name: 'Répondre' }).click();
  await own.locator('.answer-form').waitFor();
  await audit(own, 'answer form open');
  // An empty answer: refused under the field, nothing changes.
  await own.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await own.locator('#answer-message-error:not([hidden])').waitFor();
  assert.match(await own.locator('#answer-message-error').innerText(), /^Message : /);
  assert.equal(await own.getByLabel('Votre réponse (obligatoire)').getAttribute('aria-invalid'), 'true');
  assert.equal((await server.api('GET', `/v1/label-applications/${applicationId}`)).body.status, 'information_requested');
  await audit(own, 'answer form, message missing');
  await own.getByLabel('Votre réponse (obligatoire)').fill('Quarante agents formés, trois projets suivis ; le bilan financier est joint.');
  await own.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await own.locator('.page-head .app-status[data-status="under_review"]').waitFor();
  assert.equal(await own.locator('.authority-status').innerText(), 'Réponse envoyée : la candidature est de nouveau en cours d’examen.');
  await audit(own, 'application answered, under review (authority)');
  stored = (await server.api('GET', `/v1/label-applications/${applicationId}`)).body;
  assert.equal(stored.status, 'under_review');
  assert.equal(stored.events.at(-1).message, 'Quarante agents formés, trois projets suivis ; le bilan financier est joint.');

  // DAECT approves: the dates are prefilled per theme; an « until » before « since » is refused
  // beside that field and nothing changes.
  await daect.reload();
  await daect.locator('.app-decision-form').waitFor();
  const first = themeIds[0].replace(/[^a-zA-Z0-9_-]/g, '_');
  assert.equal(await daect.locator(`#label-since-${first}`).inputValue(), parisDay());
  assert.equal(await daect.locator(`#label-until-${first}`).inputValue(), plusYears(parisDay(), 3));
  await daect.screenshot({ path: path.join(SHOTS, 'candidatures.png'), fullPage: true });
  await daect.getByLabel('Motif (obligatoire, communiqué à la collectivité)').fill('Expérience démontrée et bilan complet.');
  await daect.locator(`#label-until-${first}`).fill(plusDays(parisDay(), -1));
  await daect.getByRole('button', { name: 'Approuver et accorder les labels' }).click();
  await daect.locator(`#label-until-${first}-error`).waitFor();
  assert.match(await daect.locator(`#label-until-${first}-error`).innerText(), /^Labels, n° 1/);
  assert.equal((await server.api('GET', `/v1/label-applications/${applicationId}`)).body.status, 'under_review');
  await audit(daect, 'decision form, a label date refused');
  await daect.locator(`#label-until-${first}`).fill(plusYears(parisDay(), 3));
  await daect.getByRole('button', { name: 'Approuver et accorder les labels' }).click();
  await daect.locator('.page-head .app-status[data-status="approved"]').waitFor();
  stored = (await server.api('GET', `/v1/label-applications/${applicationId}`)).body;
  assert.equal(stored.status, 'approved');
  assert.deepEqual(stored.labels.map((label) => label.theme).sort(), [...themeIds].sort());
  assert.equal(await daect.locator('.granted-labels li').count(), themeIds.length);
  assert.equal(await daect.locator('.authority-status').innerText(), 'Candidature approuvée : les labels sont inscrits au dossier de la collectivité.');
  await daect.locator('.label-history li').first().waitFor();
  await audit(daect, 'application approved');
  // The same page in DSFR's dark theme.
  await daect.evaluate(() => document.documentElement.setAttribute('data-fr-theme', 'dark'));
  await audit(daect, 'application approved, dark theme');
  await daect.screenshot({ path: path.join(SHOTS, 'candidatures-dark.png'), fullPage: true });
  await daect.evaluate(() => document.documentElement.setAttribute('data-fr-theme', 'light'));
  // The authority's label history names the application for each granted theme.
  for (const id of themeIds) {
    await daect.locator(`.label-history li[data-theme="${id}"] a[href="#/candidature/${applicationId}"]`).first().waitFor();
  }
  const record = (await server.api('GET', `/v1/collectivites/${encodeURIComponent(authority.id)}`)).body;
  for (const id of themeIds) assert.ok(record.labels.some((label) => label.theme === id && label.since === parisDay()), `no label ${id} since ${parisDay()} in ${JSON.stringify(record.labels)}`);

  // The new label ranks the authority for the need: the shortlist page shows it.
  const after = await server.api('POST', '/v1/match', { need_id: need.id, k: 50, explain: false });
  const rank = after.body.candidates.findIndex((candidate) => candidate.collectivite.id === authority.id);
  assert.ok(rank >= 0, 'the API does not rank the authority after its label');
  await daect.goto(`${server.base}/#/besoin/${encodeURIComponent(need.id)}`);
  await daect.waitForFunction(() => document.querySelector('.results') && document.querySelector('.results').getAttribute('aria-busy') === 'false');
  if (rank >= 10) await daect.locator('#k').selectOption('50');
  await daect.locator(`.candidate[data-id="${authority.id}"]`).waitFor();

  // The authority's list says it.
  await own.goto(`${server.base}/#/`);
  await own.locator(`#applications .my-application[data-application="${applicationId}"][data-status="approved"]`).waitFor();
  await own.close();
  await daect.close();
});

test('« Labels à renouveler »: DAECT sees days left; the authority asks for the renewal from its space', async () => {
  // A label ending in 45 days, granted through an approved application.
  const day = parisDay();
  const authority = 'com-rennes';
  const theme = 'jeunesse_genre.participation';
  const created = await server.api('POST', '/v1/label-applications', {
    collectivite: authority, themes: [theme], evidence: 'Conseils de jeunes et budget participatif depuis 2015.',
    cooperations: [], territorial_actions: [], renews: null,
  });
  assert.equal(created.status, 201);
  assert.equal((await server.api('POST', `/v1/label-applications/${created.body.id}/review`, {})).status, 200);
  const approved = await server.api('POST', `/v1/label-applications/${created.body.id}/decision`, {
    decision: 'approved', reason: 'Label prolongé jusqu’à la révision du programme.',
    labels: [{ theme, since: plusDays(day, -1000), until: plusDays(day, 45) }],
  });
  assert.equal(approved.status, 200);
  const expiring = (await server.api('GET', '/v1/labels/expiring?days=90')).body;
  const item = expiring.items.find((one) => one.collectivite === authority && one.theme === theme);
  assert.ok(item, 'the 45-day label is not listed as expiring');
  assert.equal(item.renewal_application, null);

  const daect = await newPage();
  await signIn(daect, server.key);
  await daect.getByRole('link', { name: 'Labels à renouveler' }).click();
  const row = daect.locator(`.expiring-table tr[data-collectivite="${authority}"][data-theme="${theme}"]`);
  await row.waitFor();
  await audit(daect, '« Labels à renouveler », 90 days');
  assert.equal(await daect.locator('.expiring-table tbody tr').count(), expiring.items.length);
  assert.equal(await row.locator('.days-left').textContent(), `${item.days_left} jours`);
  assert.match(await row.locator('.renewal').innerText(), /Aucune demande/);
  // Soonest first, as the API gives them.
  const order = await daect.locator('.expiring-table tbody tr').evaluateAll((nodes) => nodes.map((node) => `${node.dataset.collectivite}/${node.dataset.theme}`));
  assert.deepEqual(order, expiring.items.map((one) => `${one.collectivite}/${one.theme}`));
  await daect.getByLabel('Échéance dans les').selectOption('180');
  const wider = (await server.api('GET', '/v1/labels/expiring?days=180')).body;
  await daect.waitForFunction((n) => document.querySelectorAll('.expiring-table tbody tr').length === n, wider.items.length);
  await audit(daect, '« Labels à renouveler », 180 days');
  await daect.screenshot({ path: path.join(SHOTS, 'labels-expiring.png'), fullPage: true });
  // The export of every label change downloads as the API serves it.
  const [download] = await Promise.all([daect.waitForEvent('download'),
    daect.getByRole('button', { name: 'Exporter l’historique des labels (CSV)' }).click()]);
  assert.match(download.suggestedFilename(), /^labels-\d{4}-\d{2}-\d{2}\.csv$/);
  const csvPath = path.join(files, 'labels.csv');
  await download.saveAs(csvPath);
  const served = await fetch(`${server.base}/v1/labels/export.csv`, { headers: { Authorization: `Bearer ${server.key}` } });
  assert.equal(served.status, 200);
  assert.deepEqual(readFileSync(csvPath), Buffer.from(await served.arrayBuffer()));

  // The authority: its own expiring label with « Demander le renouvellement ».
  const key = server.createKey('collectivite', authority);
  const own = await newPage();
  await signIn(own, key);
  const mineRow = own.locator(`#expiring li[data-theme="${theme}"]`);
  await mineRow.waitFor();
  const ownExpiring = (await server.api('GET', '/v1/labels/expiring?days=90', undefined, key)).body;
  assert.ok(ownExpiring.items.every((one) => one.collectivite === authority));
  assert.equal(await own.locator('#expiring li').count(), ownExpiring.items.length);
  assert.equal(await mineRow.locator('.days-left').textContent(), `encore ${ownExpiring.items.find((one) => one.theme === theme).days_left} jours`);
  await own.locator('#applications .loading').waitFor({ state: 'detached' });
  await audit(own, 'authority space, a label to renew');
  await mineRow.getByRole('link', { name: /Demander le renouvellement/ }).click();
  await own.getByRole('heading', { level: 1, name: 'Demander le renouvellement d’un label' }).waitFor();
  assert.ok(await own.locator(`input[value="${theme}"]`).isChecked());
  assert.match(await own.locator('.renew-notice').innerText(), /Demande de renouvellement du label « .+ » \(valable jusqu’au /);
  await audit(own, 'renewal form');
  await own.getByLabel('Justification de la demande (obligatoire)').fill('Les conseils de jeunes se poursuivent ; bilan 2024 joint à la demande.');
  await own.getByRole('button', { name: 'Demander le renouvellement' }).click();
  await own.locator('.page-head .app-status[data-status="received"]').waitFor();
  const renewal = (await server.api('GET', '/v1/label-applications?status=received&limit=10', undefined, key)).body.items;
  assert.equal(renewal.length, 1);
  assert.deepEqual(renewal[0].renews, [theme]);
  await own.close();
  await daect.close();
  renewed = { authority, theme, application: renewal[0].id };
});

// The renewal filed above.
let renewed = null;

test('DAECT\'s labels to renew point at the renewal application filed for a label', async () => {
  assert.ok(renewed, 'the previous test filed no renewal');
  const { authority, theme, application } = renewed;
  const listed = (await server.api('GET', '/v1/labels/expiring?days=90')).body.items
    .filter((one) => one.collectivite === authority && one.theme === theme);
  assert.deepEqual(listed.map((one) => one.renewal_application), [application], 'GET /v1/labels/expiring does not name the open renewal application');
  const daect = await newPage();
  await signIn(daect, server.key);
  await daect.goto(`${server.base}/#/labels?jours=90`);
  const link = daect.locator(`.expiring-table tr[data-collectivite="${authority}"][data-theme="${theme}"] .renewal a`);
  await link.waitFor();
  assert.equal(await link.innerText(), 'Demande déposée');
  assert.equal(await link.getAttribute('href'), `#/candidature/${encodeURIComponent(application)}`);
  await daect.close();
});

test('DAECT files an application on an authority\'s behalf, chosen from the list', async () => {
  const authority = (await server.api('GET', '/v1/collectivites/dep-nord')).body;
  const themeList = (await server.api('GET', '/v1/themes')).body.items;
  const theme = themeList.find((one) => one.parent && !authority.labels.some((label) => label.theme === one.id));
  const page = await newPage();
  await signIn(page, server.key);
  await page.getByRole('link', { name: 'Candidatures', exact: true }).click();
  await page.getByRole('link', { name: 'Déposer une candidature pour une collectivité' }).click();
  await page.getByRole('heading', { level: 1, name: 'Demander un label' }).waitFor();
  await audit(page, 'application form (DAECT), empty');
  // Every control of the form has a label (screen readers).
  await page.getByRole('button', { name: 'Ajouter une coopération' }).click();
  await page.getByRole('button', { name: 'Ajouter une action' }).click();
  await audit(page, 'application form (DAECT), a cooperation row and an action row');
  const unlabelled = await page.locator('.application-form').evaluate((form) => [...form.querySelectorAll('input, select, textarea')]
    .filter((node) => node.labels.length === 0 && !node.getAttribute('aria-label')).map((node) => node.id || node.name));
  assert.deepEqual(unlabelled, []);
  await page.getByRole('button', { name: 'Retirer la coopération 1' }).click();
  await page.getByRole('button', { name: "Retirer l'action 1" }).click();
  // No authority chosen: refused beside the list, nothing stored.
  const before = (await server.api('GET', '/v1/label-applications?limit=1')).body.total;
  await page.locator(`.application-themes input[value="${theme.id}"]`).evaluate((box) => { box.closest('details').open = true; });
  await page.locator(`.application-themes label[for="${await page.locator(`.application-themes input[value="${theme.id}"]`).getAttribute('id')}"]`).check();
  assert.ok(await page.locator(`.application-themes input[value="${theme.id}"]`).isChecked());
  await page.getByLabel('Justification de la demande (obligatoire)').fill('Dossier transmis par la préfecture : expérience reconnue sur ce thème.');
  await page.getByRole('button', { name: 'Déposer la candidature' }).click();
  await page.locator('#application-collectivite-error').waitFor();
  assert.match(await page.locator('#application-collectivite-error').innerText(), /^Collectivité : est obligatoire/);
  assert.equal((await server.api('GET', '/v1/label-applications?limit=1')).body.total, before);
  assert.equal(await page.locator('.fr-select-group--error #application-collectivite').count(), 1);
  await audit(page, 'application form (DAECT), no authority chosen');
  await page.getByLabel('Collectivité (candidature déposée en son nom)').selectOption(authority.id);
  await page.getByRole('button', { name: 'Déposer la candidature' }).click();
  await page.getByRole('heading', { level: 1, name: `Candidature de ${authority.name}` }).waitFor();
  const mine = (await server.api('GET', `/v1/label-applications?collectivite=${authority.id}&limit=10`)).body.items;
  assert.equal(mine.length, 1);
  assert.deepEqual(mine[0].themes, [theme.id]);
  assert.equal(mine[0].status, 'received');
  await page.locator('.authority-status', { hasText: `Candidature déposée pour ${authority.name}.` }).waitFor();

  // DAECT takes it and refuses it: each step is announced, the refusal's reason is kept.
  await page.getByRole('button', { name: 'Prendre en charge' }).click();
  await page.locator('.page-head .app-status[data-status="under_review"]').waitFor();
  // With the keyboard only: the arrows move among the decisions, Tab goes on to the reason then
  // to the button, each drawn with DSFR's visible focus ring.
  const focusRing = () => page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return { id: document.activeElement.id, text: document.activeElement.textContent, outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
  });
  await page.locator('#decision-approved').focus();
  await page.keyboard.press('ArrowDown');
  assert.ok(await page.getByLabel('Demander des informations').isChecked());
  assert.equal(await page.locator('#decision-labels').isHidden(), true);
  await page.keyboard.press('ArrowDown');
  assert.ok(await page.getByLabel('Refuser', { exact: true }).isChecked());
  await audit(page, 'decision form, refusal chosen');
  await page.keyboard.press('Tab');
  let focused = await focusRing();
  assert.equal(focused.id, 'decision-reason');
  assert.ok(focused.outline, 'no visible focus on the reason');
  await page.keyboard.type('Expérience insuffisante sur ce thème.');
  await page.keyboard.press('Tab');
  focused = await focusRing();
  assert.equal(focused.text, 'Refuser la candidature');
  assert.ok(focused.outline, 'no visible focus on the button');
  await page.keyboard.press('Enter');
  await page.locator('.page-head .app-status[data-status="rejected"]').waitFor();
  assert.equal(await page.locator('.page-head .app-status').textContent(), 'Refusée');
  assert.equal(await page.locator('.authority-status').innerText(), 'Candidature refusée : la collectivité est prévenue.');
  const refused = (await server.api('GET', `/v1/label-applications/${mine[0].id}`)).body;
  assert.equal(refused.status, 'rejected');
  assert.equal(refused.events.at(-1).reason, 'Expérience insuffisante sur ce thème.');
  assert.equal(await page.locator('.app-decision-form').count(), 0);
  await audit(page, 'application rejected');
  await page.close();
});

test('every status tab of the inbox, and its pager, pass the accessibility checks', async () => {
  const page = await newPage();
  await signIn(page, server.key);
  await page.goto(`${server.base}/#/candidatures`);
  await page.locator('.status-tab[aria-current="page"][data-status="all"]').waitFor();
  for (const status of ['received', 'under_review', 'information_requested', 'approved', 'rejected']) {
    const total = (await server.api('GET', `/v1/label-applications?limit=1&status=${status}`)).body.total;
    await page.locator(`.status-tab[data-status="${status}"]`).click();
    await page.locator(`.status-tab[aria-current="page"][data-status="${status}"]`).waitFor();
    // The tab says its count; the list shows that status only, or says it has none.
    assert.match(await page.locator(`.status-tab[data-status="${status}"]`).innerText(), new RegExp(`\\(${total}\\)$`));
    if (total === 0) {
      await page.locator('.applications-results .empty').waitFor();
    } else {
      await page.locator('.applications-table tbody tr').first().waitFor();
      assert.equal(await page.locator(`.applications-table tbody tr:not([data-status="${status}"])`).count(), 0);
    }
    await audit(page, `candidatures inbox, « ${status} » tab`);
  }
  // Enough applications for a second page: DSFR's pagination, the current page marked.
  const total = (await server.api('GET', '/v1/label-applications?limit=1')).body.total;
  const themeList = (await server.api('GET', '/v1/themes')).body.items.filter((one) => one.parent);
  const authorities = (await server.api('GET', '/v1/collectivites?limit=40')).body.items;
  for (let index = total; index < 21; ++index) {
    const created = await server.api('POST', '/v1/label-applications', {
      collectivite: authorities[index % authorities.length].id, themes: [themeList[index % themeList.length].id],
      evidence: 'Dossier de démonstration pour la pagination de la liste.', cooperations: [], territorial_actions: [], renews: null,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }
  await page.goto(`${server.base}/#/candidatures?page=2`);
  const pager = page.getByRole('navigation', { name: 'Pages de candidatures' });
  await pager.waitFor();
  assert.equal(await pager.locator('[aria-current="page"]').innerText(), '2');
  assert.equal(await page.locator('.applications-table tbody tr').count(),
    (await server.api('GET', '/v1/label-applications?limit=1')).body.total - 20);
  await audit(page, 'candidatures inbox, page 2');
  await page.screenshot({ path: path.join(SHOTS, 'candidatures-inbox.png'), fullPage: true });
  await page.close();
});

test('an analyst reads the applications without any action; an embassy is not offered them', async () => {
  const analyst = await newPage();
  await signIn(analyst, server.createKey('analyst'));
  await analyst.getByRole('link', { name: 'Candidatures', exact: true }).click();
  const first = analyst.locator('.applications-table tbody tr').first();
  await first.waitFor();
  assert.equal(await analyst.getByRole('link', { name: 'Déposer une candidature pour une collectivité' }).count(), 0);
  await first.locator('a.need-link').click();
  await analyst.locator('.app-events:not(.history-events)').waitFor();
  assert.equal(await analyst.getByRole('button', { name: 'Prendre en charge' }).count(), 0);
  assert.equal(await analyst.locator('.app-decision-form').count(), 0);
  await analyst.close();

  const embassy = await newPage();
  await signIn(embassy, server.createKey('embassy', 'SN'));
  assert.equal(await embassy.getByRole('link', { name: 'Candidatures', exact: true }).count(), 0);
  assert.equal(await embassy.getByRole('link', { name: 'Labels à renouveler' }).count(), 0);
  await embassy.goto(`${server.base}/#/candidatures`);
  await embassy.locator('.error-box').waitFor();
  assert.match(await embassy.locator('.error-box').innerText(), /réservées à la DAECT et aux analystes/);
  await audit(embassy, 'candidatures refused to an embassy');
  await embassy.close();
});

test('no script error and no CSP violation on the applications pages', () => {
  assert.deepEqual(pageProblems, []);
});
