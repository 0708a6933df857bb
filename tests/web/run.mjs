// End-to-end tests of the DAECT web page, in Debian's Chromium driven by playwright-core,
// against a real `expectmatch serve` on an ephemeral port with a fresh database.
//   node --test run.mjs
// Environment: EXPECTMATCH_BINARY (default build/app/expectmatch), EXPECTMATCH_SCREENSHOTS
// (where the screenshots of the main screens go; default docs/screenshots).
// Expected orders and states are read from the API itself, so the page is checked against what
// the server computes, not against numbers copied here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, watchedPage, signInWith, audit, parisDay, plusDays } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BINARY = process.env.EXPECTMATCH_BINARY || path.join(ROOT, 'build/app/expectmatch');
const SHOTS = process.env.EXPECTMATCH_SCREENSHOTS || path.join(ROOT, 'docs/screenshots');
const FEATURES = ['thematic', 'country_presence', 'partner_history', 'track_record', 'language', 'availability'];

let server;
let browser;
const pageProblems = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer(BINARY);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// A new tab (its own sessionStorage), recording script errors and CSP violations.
const newPage = (viewport) => watchedPage(browser, pageProblems, viewport);

async function signIn(page, key = server.key) {
  await signInWith(page, server.base, key);
  // Signed in, the page opens on the inbox: wait for its list.
  await page.locator('.needs-table, .need-list .empty').first().waitFor();
}

async function candidateIds(page) {
  return page.locator('.candidate').evaluateAll((nodes) => nodes.map((node) => node.dataset.id));
}

// Waits for the shortlist to settle (no request in flight) on exactly `expected`.
async function waitForOrder(page, expected) {
  await page.waitForFunction((want) => {
    const results = document.querySelector('.results');
    if (!results || results.getAttribute('aria-busy') !== 'false') return false;
    const ids = [...document.querySelectorAll('.candidate')].map((node) => node.dataset.id);
    return JSON.stringify(ids) === JSON.stringify(want);
  }, expected, { timeout: 30000 });
}

async function matchIds(needId, weights) {
  const body = { need_id: needId, k: 10, explain: false };
  if (weights) body.weights = weights;
  const response = await server.api('POST', '/v1/match', body);
  assert.equal(response.status, 200);
  return response.body.candidates.map((candidate) => candidate.collectivite.id);
}

// What the page says when a ranking is updated, from the API's own answer.
async function rankingSentence(needId, weights) {
  const response = await server.api('POST', '/v1/match', { need_id: needId, k: 10, weights });
  assert.equal(response.status, 200);
  const score = (value) => new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(value);
  const top = response.body.candidates.slice(0, 3).map((candidate) =>
    `${candidate.rank === 1 ? '1re' : `${candidate.rank}e`} ${candidate.collectivite.name} (${score(candidate.score)})`);
  const eligible = response.body.eligible;
  return `Classement mis à jour : ${top.join(', ')} ; ${eligible} collectivité${eligible > 1 ? 's' : ''} éligible${eligible > 1 ? 's' : ''}`;
}

async function needsWithStatus(status) {
  const response = await server.api('GET', `/v1/needs?status=${status}&limit=200`);
  return response.body.items;
}

test('the page is served by the binary with its content types and a same-origin CSP', async () => {
  const page = await fetch(`${server.base}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  const csp = page.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /https?:|\*/);
  const script = await fetch(`${server.base}/assets/app.js`);
  assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  const style = await fetch(`${server.base}/assets/app.css`);
  assert.equal(style.headers.get('content-type'), 'text/css; charset=utf-8');
  const missing = await fetch(`${server.base}/assets/nothing.js`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('content-type'), 'application/problem+json');
});

test('a wrong key is refused in French and nothing is shown but the sign-in form', async () => {
  const page = await newPage();
  await page.goto(`${server.base}/`);
  await page.getByLabel("Clé d'API").waitFor();
  await audit(page, 'sign-in');
  await page.getByLabel("Clé d'API").fill('em_not-a-real-key');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const error = page.locator('.error-box');
  await error.waitFor();
  assert.match(await error.innerText(), /Connexion impossible : Clé d'API absente, inconnue ou révoquée/);
  assert.equal(await page.locator('.role-badge').count(), 0);
  await audit(page, 'sign-in error');
  await page.close();
});

test('sign in: the inbox lists the needs newest first, filters and search narrow it', async () => {
  const page = await newPage();
  await signIn(page);
  assert.equal(await page.locator('.role-badge').first().textContent(), 'DAECT');
  const all = (await server.api('GET', '/v1/needs?limit=200')).body;
  const rows = page.locator('.needs-table tbody tr');
  // Twenty needs a page.
  await page.waitForFunction((n) => document.querySelectorAll('.needs-table tbody tr').length === n, Math.min(20, all.total));
  assert.equal(await page.locator('.count').innerText(), `${all.total} besoins affichés sur ${all.total} — page 1 sur ${Math.ceil(all.total / 20)}`);
  await audit(page, 'inbox');
  // Newest first: submission days never increase down the table.
  const days = await rows.evaluateAll((nodes) => nodes.map((node) => node.dataset.need));
  const byId = new Map(all.items.map((need) => [need.id, need]));
  const submitted = days.map((id) => byId.get(id).submitted_at || '');
  assert.deepEqual(submitted, [...submitted].sort().reverse());
  await page.screenshot({ path: path.join(SHOTS, 'inbox.png'), fullPage: false });

  await page.getByLabel('Statut').selectOption('shortlisted');
  const shortlisted = (await needsWithStatus('shortlisted')).length;
  await page.waitForFunction((n) => document.querySelectorAll('.needs-table tbody tr').length === n, Math.min(20, shortlisted));
  // The badge's text (DSFR shows it in capitals).
  const statuses = await page.locator('.needs-table tbody .status').allTextContents();
  assert.ok(statuses.length > 0 && statuses.every((text) => text === 'Présélectionné'));
  await audit(page, 'inbox filtered');

  await page.getByRole('link', { name: 'Effacer les filtres' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.needs-table tbody tr').length === n, Math.min(20, all.total));
  await page.getByLabel('Rechercher').fill('Dioulasso');
  await page.waitForFunction(() => document.querySelectorAll('.needs-table tbody tr').length === 1);
  assert.equal(await rows.first().getAttribute('data-need'), 'n-2026-021');
  await page.close();
});

test('the inbox is paged by twenty with DSFR pagination, the page in the address and kept with the filters', async () => {
  const all = (await server.api('GET', '/v1/needs?limit=200')).body;
  // The bundled sample: 45 needs, so three pages, the last with five.
  assert.equal(all.total, 45);
  const page = await newPage();
  await signIn(page);
  const rowIds = () => page.locator('.needs-table tbody tr').evaluateAll((nodes) => nodes.map((node) => node.dataset.need));
  const firstPage = await rowIds();
  assert.equal(firstPage.length, 20);
  const pagination = page.getByRole('navigation', { name: 'Pages de besoins' });
  assert.equal(await pagination.locator('[aria-current="page"]').innerText(), '1');
  assert.equal(await pagination.getByText('Page précédente').getAttribute('aria-disabled'), 'true');
  assert.equal(await pagination.getByText('Page précédente').getAttribute('href'), null);

  await pagination.getByRole('link', { name: 'Page suivante' }).click();
  await page.waitForFunction(() => location.hash === '#/?page=2');
  await page.locator('.count', { hasText: 'page 2 sur 3' }).waitFor();
  const secondPage = await rowIds();
  assert.equal(secondPage.length, 20);
  assert.ok(secondPage.every((id) => !firstPage.includes(id)));
  assert.equal(await pagination.locator('[aria-current="page"]').innerText(), '2');
  await audit(page, 'inbox page 2');

  await pagination.getByRole('link', { name: 'Dernière page' }).click();
  await page.locator('.count', { hasText: 'page 3 sur 3' }).waitFor();
  const thirdPage = await rowIds();
  assert.equal(thirdPage.length, 5);
  assert.deepEqual(new Set([...firstPage, ...secondPage, ...thirdPage]), new Set(all.items.map((need) => need.id)));
  assert.equal(await pagination.locator('[aria-current="page"]').innerText(), '3');
  for (const label of ['Page suivante', 'Dernière page']) {
    const link = pagination.getByText(label);
    assert.equal(await link.getAttribute('aria-disabled'), 'true');
    assert.equal(await link.getAttribute('href'), null);
  }
  assert.equal(await pagination.getByRole('link', { name: 'Page précédente' }).getAttribute('href'), '#/?page=2');
  assert.equal(await pagination.getByRole('link', { name: 'Première page' }).getAttribute('href'), '#/');

  // A filter goes back to page 1; the pages then keep it in their addresses.
  const submitted = (await needsWithStatus('submitted')).length;
  await page.getByLabel('Statut').selectOption('submitted');
  await page.waitForFunction(() => location.hash === '#/?statut=submitted');
  await page.locator('.count', { hasText: `${submitted} besoin` }).waitFor();
  assert.equal(await page.locator('.needs-table tbody tr').count(), Math.min(20, submitted));
  if (submitted > 20) {
    assert.equal(await pagination.getByRole('link', { name: 'Page suivante' }).getAttribute('href'), '#/?statut=submitted&page=2');
  } else {
    assert.equal(await pagination.count(), 0);
  }
  await page.close();
});

test('an overdue report is flagged on its need in the inbox', async () => {
  // A mission that ended long ago, whose report never came.
  const [need] = await needsWithStatus('assigned');
  const mission = await server.api('PUT', `/v1/needs/${need.id}/mission`, { start: '2025-01-10', end: '2025-01-20' });
  assert.equal(mission.status, 200);
  const page = await newPage();
  await signIn(page);
  // The need may sit on another page of the inbox: searched by its id.
  await page.getByLabel('Rechercher').fill(need.id);
  const flag = page.locator(`tr[data-need="${need.id}"] .flag.late`);
  await flag.waitFor();
  assert.match(await flag.textContent(), /^Rapport en retard de [\d  ]+ jours$/);
  assert.match(await page.locator('.overdue-card summary').textContent(), /rapports? en retard/);
  await page.close();
});

// The first candidate for n-2026-021 with the sample's default profile, as its bar reads it
// (the API's contributions, rounded to three places as the page shows them).
const FIRST_BAR_TEXT = 'Score 0,495 : adéquation thématique 0,150, présence dans le pays 0,061, '
  + 'historique avec le partenaire 0,000, expérience des missions 0,034, langues de travail 0,100, disponibilité 0,150';

test('open a need: its fields, the explained shortlist and the excluded per filter', async () => {
  const page = await newPage();
  await signIn(page);
  // Not on the inbox's first page: found by the search.
  await page.getByLabel('Rechercher').fill('Dioulasso');
  await page.getByRole('link', { name: 'Commune de Bobo-Dioulasso' }).click();
  await page.getByRole('heading', { level: 1, name: 'Commune de Bobo-Dioulasso — Burkina Faso' }).waitFor();
  const expected = await matchIds('n-2026-021');
  await waitForOrder(page, expected);
  const facts = await page.locator('.facts').innerText();
  assert.match(facts, /Période\s+du 21 juin 2027 au 23 juin 2027/);
  assert.match(facts, /Langues de travail\s+français/);
  // One bar per candidate, one segment per feature; reasons in French.
  assert.equal(await page.locator('.candidate').first().locator('.segment').count(), 6);
  assert.ok((await page.locator('.candidate').first().locator('.reasons li').count()) > 0);
  const match = (await server.api('POST', '/v1/match', { need_id: 'n-2026-021', k: 1 })).body;
  const excluded = page.locator('.excluded h3');
  assert.equal(await excluded.innerText(), `${match.excluded.total} collectivités écartées par les filtres`);
  const label = page.locator('.filters-list summary', { hasText: 'Pas de label valide sur la période' });
  assert.equal(await label.innerText(), `Pas de label valide sur la période : ${match.excluded.by_filter.no_active_label}`);
  await label.click();
  assert.equal(await page.locator('.filters-list details[open] .excluded-names li').count(), match.excluded.by_filter.no_active_label);
  // Each bar's text alternative reads the score and every criterion's contribution.
  const first = page.locator('.candidate').first();
  assert.equal(await first.locator('.bar').getAttribute('role'), 'img');
  assert.equal(await first.locator('.bar').getAttribute('aria-label'), FIRST_BAR_TEXT);
  await audit(page, 'need');
  await page.screenshot({ path: path.join(SHOTS, 'need.png'), fullPage: true });
  await page.evaluate(() => {
    document.documentElement.setAttribute('data-fr-theme', 'dark');
    window.scrollTo(0, 0);
  });
  await audit(page, 'need, dark theme');
  await page.screenshot({ path: path.join(SHOTS, 'need-dark.png'), fullPage: false });
  await page.close();
});

test('moving a weight slider re-ranks live; reset restores the profile order', async () => {
  // A need and a feature whose weight at 0 provably changes the order (asked of the API).
  let chosen = null;
  for (const need of await needsWithStatus('submitted')) {
    const before = await matchIds(need.id);
    for (const feature of FEATURES) {
      const afterZero = await matchIds(need.id, { [feature]: 0 });
      if (JSON.stringify(before) !== JSON.stringify(afterZero)) {
        chosen = { need: need.id, feature, before, afterZero };
        break;
      }
    }
    if (chosen) break;
  }
  assert.ok(chosen, 'no need of the sample changes order when a weight goes to 0');
  const page = await newPage();
  await signIn(page);
  await page.goto(`${server.base}/#/besoin/${chosen.need}`);
  await waitForOrder(page, chosen.before);

  const slider = page.locator(`#w-${chosen.feature}`);
  await slider.focus();
  await page.keyboard.press('Home');
  await waitForOrder(page, chosen.afterZero);
  assert.equal(await page.locator(`#w-${chosen.feature}-value`).innerText(), '0,00');
  assert.match(await page.locator('.modified').innerText(), /Poids modifiés/);
  // The new ranking is said once, politely, to screen readers.
  const news = page.locator('#ranking-news');
  assert.equal(await news.getAttribute('aria-live'), 'polite');
  await news.filter({ hasText: 'Classement mis à jour' }).waitFor({ state: 'attached' });
  assert.equal(await news.textContent(), await rankingSentence(chosen.need, { [chosen.feature]: 0 }));
  await audit(page, 'shortlist with weights moved');

  // A burst of moves: whatever order the responses come back in, the last position wins.
  await page.keyboard.press('End');
  for (let i = 0; i < 5; i += 1) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Home');
  await waitForOrder(page, chosen.afterZero);
  await page.screenshot({ path: path.join(SHOTS, 'shortlist-weights.png'), fullPage: false });

  await page.getByRole('button', { name: 'Revenir aux poids du profil' }).click();
  await waitForOrder(page, chosen.before);
  await page.close();
});

test('saving the moved weights makes a new profile version', async () => {
  const page = await newPage();
  await signIn(page);
  await page.goto(`${server.base}/#/besoin/n-2026-021`);
  await page.locator('.candidate').first().waitFor();
  const before = (await server.api('GET', '/v1/profiles/default')).body;
  await page.locator('#w-language').focus();
  await page.keyboard.press('Home');
  await page.getByLabel('Description de la nouvelle version').fill('Sans le critère de langue');
  await page.getByRole('button', { name: 'Enregistrer comme nouvelle version de « default »' }).click();
  await page.locator('.toast.visible', { hasText: `Version ${before.version + 1} du profil « default » enregistrée` }).waitFor();
  const after = (await server.api('GET', '/v1/profiles/default')).body;
  assert.equal(after.version, before.version + 1);
  assert.equal(after.weights.language, 0);
  assert.equal(after.description, 'Sans le critère de langue');
  await page.close();
});

test('record a decision and find it after a reload; then the mission, and its errors in French', async () => {
  const need = (await needsWithStatus('submitted')).find((one) => one.id !== 'n-2026-021');
  const expected = await matchIds(need.id);
  const page = await newPage();
  await signIn(page);
  await page.goto(`${server.base}/#/besoin/${need.id}`);
  await waitForOrder(page, expected);
  const second = page.locator('.candidate').nth(1);
  const name = await second.locator('.candidate-name').innerText();
  await second.getByRole('button', { name: 'Choisir cette collectivité' }).click();
  await page.getByLabel('Note pour le dossier (facultative)').waitFor();
  await audit(page, 'decision form open');
  await page.getByLabel('Note pour le dossier (facultative)').fill('Expérience récente dans le pays');
  await page.getByRole('button', { name: 'Confirmer la décision' }).click();
  await page.locator('#history li', { hasText: name }).waitFor();

  await page.reload();
  const history = page.locator('#history');
  await history.locator('li', { hasText: name }).waitFor();
  assert.match(await history.innerText(), /Expérience récente dans le pays/);
  assert.equal(await page.locator('.page-head .status').textContent(), 'Attribué');
  await audit(page, 'decision recorded');
  assert.equal(await page.locator('.selected-name').innerText(), name);
  const stored = (await server.api('GET', `/v1/needs/${need.id}`)).body;
  assert.equal(stored.selected, expected[1]);
  assert.equal(stored.decisions.at(-1).note, 'Expérience récente dans le pays');
  await page.screenshot({ path: path.join(SHOTS, 'decision.png'), fullPage: false });

  // A report delivered before the mission's end: the API's 422, said in French.
  await page.getByLabel('Rapport remis le').fill('2020-01-01');
  await page.getByRole('button', { name: 'Enregistrer la mission' }).click();
  const error = page.locator('.mission .error-box');
  await error.waitFor();
  const text = await error.innerText();
  assert.match(text, /Mission non enregistrée : Certaines valeurs ont été refusées\./);
  assert.match(text, /Remise du rapport est antérieure à la fin de la mission/);
  // … and under the field it names.
  const fieldError = page.locator('#mission-report-error');
  assert.match(await fieldError.innerText(), /Remise du rapport : est antérieure à la fin de la mission/);
  assert.equal(await page.getByLabel('Rapport remis le').getAttribute('aria-invalid'), 'true');
  await audit(page, 'mission form with an error shown');

  await page.getByLabel('Rapport remis le').fill('');
  await page.getByLabel('Note du partenaire').selectOption('4');
  await page.getByRole('button', { name: 'Enregistrer la mission' }).click();
  await page.waitForFunction(() => document.querySelector('.page-head .status')?.textContent === 'En mission');
  assert.equal((await server.api('GET', `/v1/needs/${need.id}`)).body.status, 'in_mission');
  await page.close();
});

test('an unknown need is a French message, not a blank page', async () => {
  const page = await newPage();
  await signIn(page);
  await page.goto(`${server.base}/#/besoin/n-does-not-exist`);
  const error = page.locator('.error-box');
  await error.waitFor();
  assert.match(await error.innerText(), /L'élément demandé n'existe pas \(ou plus\)\./);
  assert.ok(await page.getByRole('link', { name: 'Retour aux besoins' }).isVisible());
  await audit(page, 'error: unknown need');
  await page.close();
});

test('an analyst is not offered decisions, missions nor batches; an embassy sees its country only', async () => {
  const analyst = server.createKey('analyst');
  const page = await newPage();
  await signIn(page, analyst);
  assert.equal(await page.locator('.role-badge').first().textContent(), 'Analyste');
  assert.equal(await page.getByRole('link', { name: 'Affectation par lot' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Nouveau besoin' }).count(), 0);
  await page.goto(`${server.base}/#/besoin/n-2026-021`);
  await page.locator('.candidate').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Choisir cette collectivité' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Annuler le besoin' }).count(), 0);
  assert.ok(await page.getByLabel('Profil de pondération').isVisible());
  await page.close();

  const embassy = server.createKey('embassy', 'SN');
  const other = await newPage();
  await signIn(other, embassy);
  assert.equal(await other.locator('.role-badge').first().textContent(), 'Ambassade');
  const countries = await other.locator('.needs-table tbody td[data-label="Pays"]').allInnerTexts();
  assert.ok(countries.length > 0 && countries.every((country) => country === 'Sénégal'));
  assert.equal(await other.locator('.overdue-card').count(), 0);
  await other.close();
});

test('keyboard and screen readers: every control has a label, tabbing reaches the sliders in order', async () => {
  const page = await newPage();
  await signIn(page);
  const unlabelled = () => page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((node) => (node.labels ? node.labels.length === 0 : true) && !node.getAttribute('aria-label') && !node.textContent.trim())
    .map((node) => node.outerHTML.slice(0, 80)));
  assert.deepEqual(await unlabelled(), []);
  await page.goto(`${server.base}/#/besoin/n-2026-021`);
  await page.locator('.candidate').first().waitFor();
  assert.deepEqual(await unlabelled(), []);
  await page.locator('#w-thematic').focus();
  const order = [];
  for (let i = 0; i < 5; i += 1) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement.id));
  }
  assert.deepEqual(order, ['w-country_presence', 'w-partner_history', 'w-track_record', 'w-language', 'w-availability']);
  await page.goto(`${server.base}/#/lot`);
  await page.locator('.check-list li, .batch-needs .empty').first().waitFor();
  assert.deepEqual(await unlabelled(), []);
  await page.goto(`${server.base}/#/nouveau`);
  await page.getByLabel('Description du besoin').fill('Collecte des déchets ménagers');
  await page.locator('.theme-suggestions input').first().waitFor();
  assert.deepEqual(await unlabelled(), []);
  await page.close();
});

test('a narrow window: one column, nothing wider than the screen', async () => {
  const page = await newPage({ width: 390, height: 844 });
  await signIn(page);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok((await overflow()) <= 0, 'the inbox scrolls sideways');
  await audit(page, 'inbox, narrow window');
  await page.screenshot({ path: path.join(SHOTS, 'inbox-narrow.png'), fullPage: false });
  await page.goto(`${server.base}/#/besoin/n-2026-021`);
  await page.locator('.candidate').first().waitFor();
  assert.ok((await overflow()) <= 0, 'the need page scrolls sideways');
  // The weights come above the ranking, full width.
  const panel = await page.locator('.weights-panel').boundingBox();
  const ranking = await page.locator('.ranking-panel').boundingBox();
  assert.ok(panel.y + panel.height <= ranking.y + 1);
  await audit(page, 'need, narrow window');
  await page.screenshot({ path: path.join(SHOTS, 'need-narrow.png'), fullPage: false });
  await page.close();
});

test('batch: run the assignment of a period and accept it as proposals', async () => {
  // The page needs the endpoint: a build without it fails here rather than skipping the test.
  const probe = await server.api('POST', '/v1/assignments', {});
  assert.notEqual(probe.status, 404, `POST /v1/assignments is not served: ${JSON.stringify(probe.body)}`);
  assert.equal(probe.status, 422, `POST /v1/assignments without a period: ${JSON.stringify(probe.body)}`);
  const page = await newPage();
  await signIn(page);
  await page.getByRole('link', { name: 'Affectation par lot' }).click();
  await page.getByLabel('Période du').fill('2027-01-01');
  await page.getByLabel('au', { exact: true }).fill('2027-12-31');
  await page.getByLabel('au', { exact: true }).dispatchEvent('change');
  await page.locator('.check-list li').first().waitFor();
  await audit(page, 'batch, period chosen');
  await page.getByRole('button', { name: "Calculer l'affectation" }).click();
  await page.locator('#plan-title').waitFor();
  await audit(page, 'batch, plan shown');
  // The plan shown is the plan stored: per need its assignment, per authority its load.
  const planId = /Plan (as_[0-9a-z]+)/.exec(await page.locator('.plan').innerText())[1];
  const plan = (await server.api('GET', `/v1/assignments/${planId}`)).body;
  assert.equal(plan.status, 'proposed');
  const rows = page.locator('.plan-table tbody tr');
  assert.deepEqual(await rows.evaluateAll((nodes) => nodes.map((node) => node.dataset.need)), plan.needs.map((entry) => entry.need.id));
  for (const [index, entry] of plan.needs.entries()) {
    const assigned = await rows.nth(index).locator('li.assigned strong').allInnerTexts();
    assert.deepEqual(assigned, entry.assigned.map((a) => a.collectivite.name));
  }
  assert.equal(await page.locator('.loads li').count(), plan.collectivites.length);
  const loaded = plan.collectivites.filter((entry) => entry.load > 0).length;
  assert.ok(loaded > 0);
  assert.equal(await page.locator('.loads li.loaded').count(), loaded);
  await page.evaluate(() => document.getElementById('plan-title').scrollIntoView());
  await page.screenshot({ path: path.join(SHOTS, 'batch.png'), fullPage: false });

  await page.getByRole('button', { name: 'Accepter le plan (proposer chaque besoin à sa collectivité)' }).click();
  await page.getByRole('heading', { name: 'Plan accepté' }).waitFor();
  const placed = plan.needs.filter((one) => one.assigned.length > 0);
  await page.locator('.toast.visible', { hasText: `Plan accepté : ${placed.length} proposition${placed.length > 1 ? 's' : ''} envoyée${placed.length > 1 ? 's' : ''}` }).waitFor();
  for (const entry of placed) {
    const stored = (await server.api('GET', `/v1/needs/${entry.need.id}`)).body;
    assert.equal(stored.status, 'proposed');
    assert.equal(stored.proposals.at(-1).collectivite, entry.assigned[0].collectivite.id);
    assert.equal(stored.proposals.at(-1).status, 'waiting');
  }
  await page.close();
});

// The waste theme of the taxonomy the server loads (datasets/taxonomy/themes.json).
function wasteThemeId() {
  const themes = JSON.parse(readFileSync(path.join(ROOT, 'datasets/taxonomy/themes.json'), 'utf8'));
  const waste = themes.find((theme) => /\.dechets$/.test(theme.id));
  assert.ok(waste, 'no waste theme in datasets/taxonomy/themes.json');
  return waste.id;
}

// Submits the form and returns the new need's id, through the "possible duplicates" panel if shown.
async function submitNewNeed(page) {
  await page.getByRole('button', { name: 'Soumettre le besoin' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#/besoin/') || document.querySelector('.need-created a.fr-btn'));
  if (!(await page.evaluate(() => location.hash.startsWith('#/besoin/')))) {
    await page.locator('.need-created a.fr-btn').click();
    await page.waitForFunction(() => location.hash.startsWith('#/besoin/'));
  }
  return decodeURIComponent(await page.evaluate(() => location.hash.slice('#/besoin/'.length)));
}

test('« Nouveau besoin »: the partner is recognised and themes suggested as one types, errors beside their fields', async () => {
  const wasteId = wasteThemeId();
  const page = await newPage();
  await signIn(page);
  await page.getByRole('link', { name: 'Nouveau besoin' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nouveau besoin' }).waitFor();
  await audit(page, 'new need, empty');
  await page.getByLabel('Pays').selectOption('SN');
  await page.getByLabel(/^Partenaire(?!s)/).fill('Mairie de Fatik');
  const partnerStatus = page.locator('#new-partner-status');
  await partnerStatus.getByText('Reconnu : Commune de Fatick (SN-fatick)').waitFor();
  assert.equal(await partnerStatus.getAttribute('aria-live'), 'polite');
  await audit(page, 'new need, recognised partner');

  await page.getByLabel('Description du besoin')
    .fill('La mairie souhaite réorganiser la collecte des ordures ménagères et créer une déchetterie');
  const wasteBox = page.locator(`.theme-suggestions input[value="${wasteId}"]`);
  await wasteBox.waitFor();
  assert.equal(await page.locator('#new-themes-status').getAttribute('aria-live'), 'polite');
  const label = await page.locator(`label[for="${await wasteBox.getAttribute('id')}"]`).innerText();
  assert.match(label, /déchets.*\(\d,\d\d\)$/i);
  // DSFR draws the box on the label, which takes the click.
  await page.locator(`label[for="${await wasteBox.getAttribute('id')}"]`).click();
  assert.ok(await wasteBox.isChecked());

  // The end before the start: the API's 422 is shown beside « Fin de la période ».
  await page.getByLabel('Début de la période').fill('2027-10-08');
  await page.getByLabel('Fin de la période').fill('2027-10-04');
  await page.getByRole('button', { name: 'Soumettre le besoin' }).click();
  const endError = page.locator('#new-end-error');
  await endError.waitFor();
  assert.match(await endError.innerText(), /Fin de la période/);
  assert.equal(await page.getByLabel('Fin de la période').getAttribute('aria-invalid'), 'true');
  assert.match(await page.getByLabel('Fin de la période').getAttribute('aria-describedby'), /new-end-error/);
  await audit(page, 'new need, with field errors');

  await page.getByLabel('Fin de la période').fill('2027-10-12');
  await page.getByLabel("Nombre d'experts").fill('2');
  await page.getByLabel('Langues de travail (facultatif)').fill('fr, wo');
  await page.screenshot({ path: path.join(SHOTS, 'new-need.png'), fullPage: true });
  const id = await submitNewNeed(page);
  await page.getByRole('heading', { level: 1, name: 'Commune de Fatick — Sénégal' }).waitFor();

  const stored = (await server.api('GET', `/v1/needs/${encodeURIComponent(id)}`)).body;
  assert.equal(stored.country, 'SN');
  assert.equal(stored.partner.id, 'SN-fatick');
  assert.equal(stored.partner.name, 'Commune de Fatick');
  assert.deepEqual(stored.themes.map((theme) => theme.theme), [wasteId]);
  assert.deepEqual(stored.period, { start: '2027-10-08', end: '2027-10-12' });
  assert.equal(stored.experts_needed, 2);
  assert.deepEqual(stored.languages, ['fr', 'wo']);
  // With a theme it is ranked like any other need.
  await page.locator('.candidate, .results .empty').first().waitFor();
  await page.close();
});

test('« Nouveau besoin » for an embassy: its country is fixed; without themes the need page asks to confirm them', async () => {
  const embassy = server.createKey('embassy', 'SN');
  const page = await newPage();
  await signIn(page, embassy);
  await page.getByRole('link', { name: 'Nouveau besoin' }).click();
  const country = page.getByLabel('Pays');
  await country.waitFor();
  assert.equal(await country.inputValue(), 'SN');
  assert.equal(await country.getAttribute('readonly'), '');
  await page.getByLabel(/^Partenaire(?!s)/).fill('Mairie de Fatik');
  await page.locator('#new-partner-status').getByText('Reconnu : Commune de Fatick (SN-fatick)').waitFor();
  // A name the catalogue does not know is kept as typed.
  await page.getByLabel(/^Partenaire(?!s)/).fill('Groupement zzqx');
  await page.locator('#new-partner-status').getByText('Aucun partenaire reconnu — le besoin gardera le nom saisi').waitFor();
  await page.getByLabel(/^Partenaire(?!s)/).fill('Mairie de Fatik');
  await page.locator('#new-partner-status').getByText('Reconnu : Commune de Fatick (SN-fatick)').waitFor();
  await page.getByLabel('Description du besoin')
    .fill('La mairie souhaite réorganiser la collecte des ordures ménagères et créer une déchetterie');
  await page.locator('.theme-suggestions input').first().waitFor();
  // Nothing ticked: the need goes without themes, DAECT confirms them later.
  await page.getByLabel('Début de la période').fill('2027-11-02');
  await page.getByLabel('Fin de la période').fill('2027-11-06');
  const id = await submitNewNeed(page);
  const stored = (await server.api('GET', `/v1/needs/${encodeURIComponent(id)}`)).body;
  assert.equal(stored.country, 'SN');
  assert.equal(stored.partner.id, 'SN-fatick');
  assert.equal(stored.partner.name, 'Commune de Fatick');
  assert.deepEqual(stored.themes, []);
  const notice = page.locator('.themes-to-confirm .notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /^Thèmes à confirmer : .*déchets/i);
  assert.equal(await page.locator('.shortlist .error-box').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Confirmer les thèmes cochés' }).count(), 0);
  await page.close();

  // DAECT confirms a suggested theme: the need is ranked.
  const wasteId = wasteThemeId();
  const daect = await newPage();
  await signIn(daect);
  await daect.goto(`${server.base}/#/besoin/${encodeURIComponent(id)}`);
  await daect.locator('.themes-to-confirm').waitFor();
  assert.match(await daect.locator('.facts').innerText(), /Thèmes\s+Thèmes à confirmer : /);
  const confirmBox = daect.locator(`.confirm-themes input[value="${wasteId}"]`);
  await daect.locator(`label[for="${await confirmBox.getAttribute('id')}"]`).click();
  assert.ok(await confirmBox.isChecked());
  await daect.getByRole('button', { name: 'Confirmer les thèmes cochés' }).click();
  await daect.locator('.candidate, .results .empty').first().waitFor();
  const confirmed = (await server.api('GET', `/v1/needs/${encodeURIComponent(id)}`)).body;
  assert.deepEqual(confirmed.themes.map((theme) => theme.theme), [wasteId]);
  await daect.close();
});

// A collectivité's key opens its own space (no inbox): waits for its proposals to be listed.
async function signInAuthority(page, key) {
  await page.goto(`${server.base}/`);
  await page.getByLabel("Clé d'API").fill(key);
  await page.keyboard.press('Enter');
  await page.locator('.role-badge').first().waitFor({ state: 'attached' });
  await page.locator('#waiting .proposal-cards, #waiting .empty').first().waitFor();
  await page.locator('#missions .mission-cards, #missions .empty').first().waitFor();
}

test('proposals: DAECT proposes, the authority declines with a reason, the next one accepts and records its experts', async () => {
  const candidates = [...await needsWithStatus('submitted'), ...await needsWithStatus('shortlisted')];
  let need = null;
  let expected = null;
  for (const one of candidates) {
    if (one.themes.length === 0) continue;
    const ids = await matchIds(one.id);
    if (ids.length >= 3) {
      need = one;
      expected = ids;
      break;
    }
  }
  assert.ok(need, 'no open need with three candidates');
  const first = expected[0];

  // DAECT proposes the need to the first of its shortlist.
  const daect = await newPage();
  await signIn(daect);
  await daect.goto(`${server.base}/#/besoin/${encodeURIComponent(need.id)}`);
  await waitForOrder(daect, expected);
  await daect.locator('.candidate').first().getByRole('button', { name: 'Proposer' }).click();
  await daect.getByLabel('Message à la collectivité (facultatif)').fill('Votre expérience des déchets nous intéresse.');
  const respondBy = daect.getByLabel('Réponse attendue avant le');
  // The page counts from its own day (Paris), not UTC's.
  const proposedBy = plusDays(parisDay(), 14);
  assert.equal(await respondBy.inputValue(), proposedBy);
  await audit(daect, 'need: propose form open');
  // Without a date, the API's 422 is said under the date's field; nothing is proposed.
  const proposalsBefore = (await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}`)).body.proposals.length;
  await respondBy.fill('');
  await daect.getByRole('button', { name: 'Envoyer la proposition' }).click();
  const respondError = daect.locator(`#propose-respond-${first.replace(/[^a-zA-Z0-9_-]/g, '_')}-error`);
  await respondError.waitFor();
  assert.match(await respondError.innerText(), /^Réponse attendue avant le : /);
  assert.equal(await respondBy.getAttribute('aria-invalid'), 'true');
  assert.equal((await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}`)).body.proposals.length, proposalsBefore);
  await audit(daect, 'need: propose refused (422 under the date)');
  await respondBy.fill(proposedBy);
  await daect.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await daect.locator('#proposals li[data-collectivite] .proposal-status[data-status="waiting"]').waitFor();
  assert.equal(await daect.locator('.page-head .status').textContent(), 'Proposé');
  assert.equal(await daect.locator('#proposals .proposal-status').textContent(), 'En attente');
  assert.match(await daect.locator('#toast').textContent(), /^Proposition envoyée à /);
  // Proposed, the need offers no other proposal (nor a decision) until the answer; DAECT may
  // still cancel it.
  await waitForOrder(daect, expected);
  assert.equal(await daect.getByRole('button', { name: 'Proposer' }).count(), 0);
  assert.equal(await daect.getByRole('button', { name: 'Choisir cette collectivité' }).count(), 0);
  assert.ok(await daect.getByRole('button', { name: 'Annuler le besoin' }).isVisible());
  let stored = (await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}`)).body;
  assert.equal(stored.status, 'proposed');
  assert.equal(stored.proposals.at(-1).collectivite, first);

  // The authority: its own space, no DAECT screen; the proposal with the need and « Pourquoi vous ? ».
  const firstKey = server.createKey('collectivite', first);
  const authority = await newPage();
  await signInAuthority(authority, firstKey);
  assert.equal(await authority.locator('.role-badge').first().textContent(), 'Collectivité');
  assert.equal(await authority.getByRole('link', { name: 'Besoins' }).count(), 0);
  assert.equal(await authority.getByRole('link', { name: 'Affectation par lot' }).count(), 0);
  assert.equal(await authority.locator('.needs-table').count(), 0);
  // (The batch test's plan may have proposed it other needs: this need's proposal is the one.)
  const mine = (await server.api('GET', `/v1/proposals?status=waiting&need=${encodeURIComponent(need.id)}`, undefined, firstKey)).body.items;
  assert.equal(mine.length, 1);
  assert.equal(await authority.locator('.proposal-card').count(),
    (await server.api('GET', '/v1/proposals?status=waiting', undefined, firstKey)).body.total);
  const card = authority.locator(`.proposal-card[data-proposal="${mine[0].id}"]`);
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /Votre expérience des déchets nous intéresse\./);
  assert.match(text, /Réponse attendue avant le /);
  assert.match(text, /Pourquoi vous \?/);
  assert.match(text, new RegExp(`Rang ${mine[0].why.rank} sur ${mine[0].why.eligible} collectivités éligibles`));
  const reasons = Object.values(mine[0].why.reasons).filter(Boolean);
  assert.ok(reasons.length > 0);
  for (const reason of reasons) assert.ok(text.includes(reason), `missing reason: ${reason}`);
  assert.ok(text.includes(mine[0].need_summary.partner.name));
  await authority.screenshot({ path: path.join(SHOTS, 'authority.png'), fullPage: true });
  await audit(authority, 'authority space: waiting proposals, missions, labels');
  // The same space in DSFR's dark theme.
  await authority.evaluate(() => document.documentElement.setAttribute('data-fr-theme', 'dark'));
  await audit(authority, 'authority space, dark theme');
  await authority.screenshot({ path: path.join(SHOTS, 'authority-dark.png'), fullPage: true });
  await authority.evaluate(() => document.documentElement.setAttribute('data-fr-theme', 'light'));

  // Declining without a reason: the API's 422 beside the field; nothing changes.
  // The answer buttons are reached with the keyboard; « Décliner » opens the reason's field.
  await card.getByRole('button', { name: 'Accepter' }).focus();
  await authority.keyboard.press('Tab');
  assert.equal(await authority.evaluate(() => document.activeElement.textContent), 'Décliner');
  await authority.keyboard.press('Enter');
  const reason = authority.getByLabel('Motif du refus (obligatoire)');
  await reason.waitFor();
  assert.equal(await authority.evaluate(() => document.activeElement.labels[0].textContent), 'Motif du refus (obligatoire)');
  await audit(authority, 'authority space: decline form open');
  await authority.getByRole('button', { name: 'Confirmer le refus' }).click();
  const reasonError = authority.locator(`#decline-reason-${mine[0].id}-error`);
  await reasonError.waitFor();
  assert.match(await reasonError.innerText(), /^Motif : /);
  assert.equal(await reason.getAttribute('aria-invalid'), 'true');
  assert.equal((await server.api('GET', `/v1/proposals/${mine[0].id}`)).body.status, 'waiting');
  await audit(authority, 'authority space: decline refused (422 under the reason)');
  await reason.fill('Nos experts sont mobilisés sur une autre mission à ces dates.');
  await authority.getByRole('button', { name: 'Confirmer le refus' }).click();
  await authority.locator('.authority-status', { hasText: 'Proposition déclinée' }).waitFor();
  await card.waitFor({ state: 'detached' });
  const past = authority.locator(`#past li[data-proposal="${mine[0].id}"]`);
  await past.waitFor();
  assert.match(await past.textContent(), /Déclinée[\s\S]*Nos experts sont mobilisés/);
  assert.match(await authority.locator('.authority-status').textContent(), /^Proposition déclinée : « /);
  await audit(authority, 'authority space: declined, past proposals');
  await authority.close();

  // DAECT sees the decline; the shortlist re-ranks without that authority.
  await daect.reload();
  const declined = daect.locator('#proposals .proposal-status[data-status="declined"]');
  await declined.waitFor();
  assert.equal(await declined.textContent(), 'Déclinée');
  assert.match(await daect.locator('#proposals').innerText(), /Motif du refus : Nos experts sont mobilisés/);
  const next = await matchIds(need.id);
  assert.ok(!next.includes(first));
  await waitForOrder(daect, next);
  assert.match(await daect.locator('.excluded').innerText(), /A décliné une proposition pour ce besoin : 1/);

  // The « Propositions » screen, filtered on declined ones, gives the reason.
  // Every filter is audited, each once its list (or its empty sentence) is shown.
  await daect.getByRole('link', { name: 'Propositions' }).click();
  const statusWords = { '': null, waiting: 'En attente', accepted: 'Acceptée', expired: 'Expirée', withdrawn: 'Retirée', declined: 'Déclinée' };
  for (const [status, word] of Object.entries(statusWords)) {
    await daect.getByLabel('Statut').selectOption(status);
    await daect.waitForFunction((label) => {
      const caption = document.querySelector('.proposals-results caption');
      const empty = document.querySelector('.proposals-results .empty');
      const text = (caption || empty || {}).textContent || '';
      return label ? text.includes(`« ${label} »`) : text === 'Toutes les propositions' || text === 'Aucune proposition.';
    }, word);
    const shown = await daect.locator('.proposals-table tbody tr').evaluateAll((rows) => [...new Set(rows.map((node) => node.dataset.status))]);
    assert.ok(status === '' || shown.every((one) => one === status), `filter ${status} shows ${shown}`);
    await audit(daect, `propositions, filter « ${word || 'tous'} »`);
  }
  const row = daect.locator(`.proposals-table tr[data-proposal="${mine[0].id}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /Déclinée[\s\S]*Motif : Nos experts sont mobilisés/);
  assert.equal(await daect.locator('.proposals-table tbody tr:not([data-status="declined"])').count(), 0);

  // Proposing the declined authority again is refused in French, naming the filter.
  const again = await server.api('POST', `/v1/needs/${encodeURIComponent(need.id)}/proposals`,
    { collectivite: first, respond_by: new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10) });
  assert.equal(again.status, 422);
  assert.equal(again.body.filter, 'declined');

  // DAECT proposes the next candidate.
  await daect.goto(`${server.base}/#/besoin/${encodeURIComponent(need.id)}`);
  await waitForOrder(daect, next);
  await daect.locator('.candidate').first().getByRole('button', { name: 'Proposer' }).click();
  await daect.getByRole('button', { name: 'Envoyer la proposition' }).click();
  await daect.locator('#proposals .proposal-status[data-status="waiting"]').waitFor();
  await daect.close();

  // That authority accepts, then records its mission's dates and experts.
  const secondKey = server.createKey('collectivite', next[0]);
  const second = await newPage();
  await signInAuthority(second, secondKey);
  const offered = (await server.api('GET', `/v1/proposals?status=waiting&need=${encodeURIComponent(need.id)}`, undefined, secondKey)).body.items;
  assert.equal(offered.length, 1);
  await second.locator(`.proposal-card[data-proposal="${offered[0].id}"]`).getByRole('button', { name: 'Accepter' }).click();
  await second.locator('.authority-status', { hasText: 'Proposition acceptée' }).waitFor();
  const mission = second.locator(`.mission-card[data-need="${need.id}"]`);
  await mission.waitFor();
  await audit(second, 'authority space: accepted, mission form');
  stored = (await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}`)).body;
  assert.equal(stored.status, 'assigned');
  assert.equal(stored.selected, next[0]);
  // Without the mission's dates, the report section asks for them first.
  assert.match(await mission.locator('.report-section').innerText(), /Rapport de mission[\s\S]*Enregistrez d’abord les dates de la mission/);

  await mission.getByLabel('Début de la mission').fill(need.period.start);
  await mission.getByLabel('Fin de la mission').fill(need.period.end);
  await mission.getByRole('button', { name: 'Ajouter un expert' }).click();
  await mission.getByLabel('Nom de l’expert').fill('Claire Martin');
  await mission.getByLabel('Fonction').fill('Ingénieure déchets');
  await mission.getByRole('button', { name: 'Ajouter un expert' }).click();
  await mission.getByLabel('Nom de l’expert').nth(1).fill('Paul Durand');
  await mission.getByLabel('Fonction').nth(1).fill('Chargé de coopération');
  await mission.getByRole('button', { name: 'Ajouter un expert' }).click();
  // A third row, removed again: only two experts go.
  // A row left empty is said under the experts' fieldset; nothing is sent.
  const expertsError = mission.locator(`#experts-${need.id.replace(/[^a-zA-Z0-9_-]/g, '_')}-error`);
  await mission.getByRole('button', { name: 'Enregistrer la mission' }).click();
  await expertsError.waitFor();
  assert.equal(await expertsError.innerText(), 'Chaque expert a un nom et une fonction.');
  assert.equal((await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}`)).body.status, 'assigned');
  await audit(second, 'authority space: mission form with an expert left empty');
  await mission.getByRole('button', { name: "Retirer l'expert 3" }).click();
  assert.equal(await second.evaluate(() => document.activeElement.textContent), 'Ajouter un expert');
  await mission.getByRole('button', { name: 'Enregistrer la mission' }).click();
  await second.locator('.authority-status', { hasText: 'Mission enregistrée : 2 experts' }).waitFor();
  const missions = (await server.api('GET', '/v1/missions', undefined, secondKey)).body.items;
  const recorded = missions.find((item) => item.need.id === need.id);
  assert.deepEqual(recorded.mission.experts, [
    { name: 'Claire Martin', function: 'Ingénieure déchets' },
    { name: 'Paul Durand', function: 'Chargé de coopération' }]);
  assert.equal(recorded.mission.start, need.period.start);
  assert.equal(recorded.mission.end, need.period.end);
  assert.equal((await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}`)).body.status, 'in_mission');
  // The card shows what was stored, with the report's due date.
  const card2 = second.locator(`.mission-card[data-need="${need.id}"]`);
  assert.equal(await card2.getByLabel('Nom de l’expert').nth(1).inputValue(), 'Paul Durand');
  await card2.locator('.report-state').waitFor();
  assert.match(await card2.locator('.report-state').innerText(), /^Rapport attendu avant le /);
  assert.equal(await card2.locator('.report-due').count(), 0);
  assert.ok(await second.locator('#labels .capacity').isVisible());
  // Every field of the authority's space has its label; every button says what it does.
  const unlabelled = await second.evaluate(() => [
    ...[...document.querySelectorAll('main input, main textarea, main select')].filter((node) => node.labels.length === 0).map((node) => node.id || node.outerHTML),
    ...[...document.querySelectorAll('main button')].filter((node) => !node.textContent.trim() && !node.getAttribute('aria-label')).map((node) => node.outerHTML)]);
  assert.deepEqual(unlabelled, []);
  await audit(second, 'authority space: mission recorded, report section');
  await second.screenshot({ path: path.join(SHOTS, 'authority-mission.png'), fullPage: true });
  await second.close();
});

// Reports written with `expectmatch reports import` on the served database (the server's index
// follows them): one whose summary takes up another need's description, so that need's page
// has a related report to show.
async function seedReports() {
  const needs = (await server.api('GET', '/v1/needs?limit=200')).body.items.filter((need) => need.description);
  const source = needs[0];
  const target = needs.find((need) => need.id !== source.id && need.country !== source.country) || needs[1];
  const authority = (await server.api('GET', '/v1/collectivites?limit=1')).body.items[0];
  const file = path.join(server.dir, 'reports.json');
  writeFileSync(file, JSON.stringify([{
    need: source.id,
    collectivite: authority.id,
    resultats: `Formation de douze fontainiers. ${target.description}`,
    recommandations: 'Ne pas confondre <b>gras</b> et texte : tout est affiché tel quel.',
    suites_envisagees: 'Une seconde session en 2027.',
    daect_rating: 4,
  }]));
  const out = execFileSync(server.binary, ['reports', 'import', file, '--db', server.db], { encoding: 'utf8' });
  assert.match(out, /1 compte\(s\) rendu\(s\) importé\(s\)/);
  return { source, target, authority };
}

test('« Capitalisation »: words, then filters, find reports with their matched words marked', async () => {
  const { source, authority } = await seedReports();
  const page = await newPage();
  await signIn(page);
  await page.getByRole('link', { name: 'Capitalisation' }).click();
  await page.getByLabel('Rechercher').fill('FONTAINIER');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  const hits = page.locator('.report-hit');
  await hits.first().waitFor();
  assert.deepEqual(await hits.evaluateAll((nodes) => nodes.map((node) => node.dataset.need)), [source.id]);
  assert.deepEqual(await page.locator('.report-hit mark').allInnerTexts(), ['fontainiers']);
  assert.match(await hits.first().innerText(), new RegExp(authority.name));
  assert.match(await hits.first().innerText(), /Trouvé dans : résultats/);
  await audit(page, 'capitalisation: search results');
  await page.screenshot({ path: path.join(SHOTS, 'capitalisation.png'), fullPage: true });

  // Markup in a report is shown as text, never interpreted.
  await page.getByLabel('Rechercher').fill('gras');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.locator('.report-hit mark', { hasText: 'gras' }).waitFor();
  assert.equal(await page.locator('.report-hit b').count(), 0);
  assert.match(await page.locator('.snippet').first().innerText(), /<b>gras<\/b>/);

  // A country without reports finds none; the report's own country finds it without words.
  const other = (await server.api('GET', '/v1/needs?limit=200')).body.items.find((need) => need.country !== source.country);
  await page.getByLabel('Rechercher').fill('');
  await page.getByLabel('Pays').selectOption(other.country);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.locator('.result-count', { hasText: 'Aucun compte rendu ne correspond.' }).waitFor();
  await audit(page, 'capitalisation: no result');
  await page.getByLabel('Pays').selectOption(source.country);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.locator(`.report-hit[data-need="${source.id}"]`).waitFor();

  // A bad period is refused in French, naming the field.
  await page.goto(`${server.base}/#/capitalisation?du=2026-02-30`);
  const error = page.locator('.error-box');
  await error.waitFor();
  assert.match(await error.innerText(), /Paramètre « from »|n'est pas une date valide/);
  // … and under the period's field.
  const fromError = page.locator('#reports-from-error');
  await fromError.waitFor();
  assert.match(await fromError.innerText(), /n'est pas une date valide|from/);
  assert.equal(await page.getByLabel('Fin de mission après le').getAttribute('aria-invalid'), 'true');
  await audit(page, 'capitalisation: bad period refused');

  // Following a result opens its need.
  await page.goto(`${server.base}/#/capitalisation?q=fontainiers`);
  await page.locator('.report-need').first().click();
  await page.waitForURL(new RegExp(`#/besoin/${source.id}$`));
  await page.close();
});

test('a need\'s page shows what earlier missions learnt, as the API ranks it', async () => {
  const needs = (await server.api('GET', '/v1/needs?limit=200')).body.items.filter((need) => need.description);
  const target = needs.find((need) => need.id !== needs[0].id && need.country !== needs[0].country) || needs[1];
  const expected = (await server.api('GET', `/v1/needs/${encodeURIComponent(target.id)}/related-reports?limit=3`)).body;
  assert.ok(expected.items.length > 0);
  const page = await newPage();
  await signIn(page);
  await page.goto(`${server.base}/#/besoin/${encodeURIComponent(target.id)}`);
  const panel = page.locator('.related-reports');
  await panel.locator('.report-hit, .empty').first().waitFor();
  assert.equal(await panel.getByRole('heading').innerText(), 'Ce que les missions précédentes ont appris');
  assert.deepEqual(await panel.locator('.report-hit').evaluateAll((nodes) => nodes.map((node) => node.dataset.need)),
    expected.items.map((item) => item.need));
  assert.ok(await panel.locator('mark').count() > 0);
  await audit(page, 'need: related reports panel');
  await page.close();

  // The Capitalisation screen is not offered to an embassy, and its panel shows its own
  // country's reports only: the related report is another country's.
  const embassy = await newPage();
  await signIn(embassy, server.createKey('embassy', target.country));
  assert.equal(await embassy.getByRole('link', { name: 'Capitalisation' }).count(), 0);
  await embassy.goto(`${server.base}/#/besoin/${encodeURIComponent(target.id)}`);
  await embassy.locator('.related-reports .report-hit, .related-reports .empty').first().waitFor();
  assert.equal(await embassy.locator('.related-reports .report-hit').count(), 0);
  await audit(embassy, 'need: related reports panel, embassy (none of its country)');
  await embassy.close();
});

test('the authority uploads its report with a progress bar and writes its summary; DAECT finds it, downloads it and rates it', async () => {
  // A mission of its own: DAECT proposes a need, the authority accepts and records the dates.
  let need = null;
  let chosen = null;
  for (const one of await needsWithStatus('submitted')) {
    if (one.themes.length === 0) continue;
    const ids = await matchIds(one.id);
    if (ids.length > 0) {
      need = one;
      chosen = ids[0];
      break;
    }
  }
  assert.ok(need, 'no submitted need with a candidate');
  const respondBy = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  const proposal = await server.api('POST', `/v1/needs/${encodeURIComponent(need.id)}/proposals`, { collectivite: chosen, respond_by: respondBy });
  assert.equal(proposal.status, 201);
  const key = server.createKey('collectivite', chosen);
  assert.equal((await server.api('POST', `/v1/proposals/${proposal.body.id}/accept`, {}, key)).status, 200);
  const recorded = await server.api('PUT', `/v1/needs/${encodeURIComponent(need.id)}/mission`,
    { start: need.period.start, end: need.period.end, experts: [{ name: 'Lucie Bernard', function: 'Agronome' }] }, key);
  assert.equal(recorded.status, 200);

  const files = mkdtempSync(path.join(tmpdir(), 'expectmatch-report-'));
  const pdf = path.join(files, 'rapport-mission.pdf');
  const pdfBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('% rapport de mission\n'.repeat(2000)), Buffer.from('%%EOF\n')]);
  writeFileSync(pdf, pdfBytes);
  const text = path.join(files, 'notes.txt');
  writeFileSync(text, 'Des notes, pas un rapport.\n');
  const page = await newPage();
  try {
    await signInAuthority(page, key);
    const section = page.locator(`.report-section[data-need="${need.id}"]`);
    await section.locator('.report-upload').waitFor();
    const before = (await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}/report`, undefined, key)).body;
    assert.match(await section.locator('.report-state').innerText(), new RegExp(`Rapport attendu avant le ${frenchDate(before.due)}`));
    assert.equal(before.document, null);
    await audit(page, 'authority space: report upload, nothing sent');

    // A text file is refused (415) beside the field; nothing is stored.
    const file = section.getByLabel('Document du rapport (PDF, ODT ou DOCX)');
    await file.setInputFiles(text);
    await section.getByRole('button', { name: 'Envoyer le document' }).click();
    const fileError = section.locator('.report-upload .field-error');
    await fileError.waitFor();
    assert.equal(await fileError.innerText(), 'Document refusé : type non accepté (PDF, ODT ou DOCX seulement).');
    assert.equal(await file.getAttribute('aria-invalid'), 'true');
    assert.equal((await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}/report`, undefined, key)).body.document, null);
    await audit(page, 'authority space: report upload, .txt refused (415)');

    // The PDF goes up: the bar reaches 100 % and the status says it was received.
    await file.setInputFiles(pdf);
    await section.getByRole('button', { name: 'Envoyer le document' }).click();
    const status = section.locator('.upload-status');
    await section.locator('.upload-status', { hasText: 'Document reçu' }).waitFor();
    assert.match(await status.innerText(), /^Envoi : 100 % — Document reçu/);
    const bar = section.getByLabel('Progression de l’envoi');
    assert.equal(await bar.evaluate((node) => node.value), 100);
    assert.equal(await bar.evaluate((node) => node.tagName), 'PROGRESS');
    const stored = (await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}/report`, undefined, key)).body.document;
    assert.equal(stored.content_type, 'application/pdf');
    assert.equal(stored.bytes, pdfBytes.length);
    assert.match(await section.locator('.document-line').innerText(), /^Document PDF déposé le /);
    assert.match(await page.locator('.authority-status').textContent(), /^Document du rapport reçu pour la mission /);
    await audit(page, 'authority space: report document received');

    // An empty summary is refused by the API (422), each missing text beside its field.
    await section.getByRole('button', { name: 'Enregistrer la synthèse' }).click();
    const resultatsError = section.locator(`#report-resultats-${need.id.replace(/[^a-zA-Z0-9_-]/g, '_')}-error`);
    await resultatsError.waitFor();
    assert.equal(await resultatsError.innerText(), 'Résultats : ne doit pas être vide');
    assert.equal(await section.getByLabel('Suites envisagées', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.equal((await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}/report`, undefined, key)).body.summary, null);
    await audit(page, 'authority space: report summary refused (422 under the fields)');

    // The summary, in three labelled fields; saved, the report is delivered.
    await section.getByLabel('Résultats', { exact: true }).fill('Trois jardins partagés ouverts ; lombricompostage enseigné à quarante familles.');
    await section.getByLabel('Recommandations', { exact: true }).fill('Associer les écoles dès la préparation.');
    await section.getByLabel('Suites envisagées', { exact: true }).fill('Une mission de suivi au printemps.');
    await section.getByRole('button', { name: 'Enregistrer la synthèse' }).click();
    await section.locator('.report-summary [aria-live]', { hasText: 'Synthèse enregistrée.' }).waitFor();
    const after = (await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}/report`, undefined, key)).body;
    assert.deepEqual(after.summary, {
      resultats: 'Trois jardins partagés ouverts ; lombricompostage enseigné à quarante familles.',
      recommandations: 'Associer les écoles dès la préparation.',
      suites_envisagees: 'Une mission de suivi au printemps.',
    });
    assert.ok(after.delivered);
    assert.equal(await section.locator('.report-state').innerText(), `Rapport remis le ${frenchDate(after.delivered)}`);
    assert.equal((await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}`)).body.status, 'closed');
    await audit(page, 'authority space: report delivered');

    // Replacing the document asks for a confirmation, then sends If-Match.
    const replacement = section.getByLabel('Nouveau document (PDF, ODT ou DOCX)');
    await replacement.setInputFiles(pdf);
    await section.getByRole('button', { name: 'Remplacer le document' }).click();
    await section.locator('.report-upload .field-error', { hasText: 'pour confirmer le remplacement' }).waitFor();
    await audit(page, 'authority space: replacement not confirmed');
    // (DSFR draws the checkbox on its label, laid over the input: the click lands on the label.)
    await section.getByLabel('Remplacer le document déjà déposé (l’ancien ne sera plus consultable)').check({ force: true });
    await section.getByRole('button', { name: 'Remplacer le document' }).click();
    await section.locator('.upload-status', { hasText: 'Document reçu' }).waitFor();
    assert.equal(await section.locator('.report-upload .field-error:not([hidden])').count(), 0);
    // Replaced meanwhile from elsewhere, the document this view knows is no longer the stored
    // one: the page's If-Match gets the 409, said beside the field, and nothing changes.
    const current = (await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}/report`, undefined, key)).body.document.sha256;
    const elsewhere = await fetch(`${server.base}/v1/needs/${encodeURIComponent(need.id)}/report/document`, {
      method: 'PUT', body: Buffer.from('%PDF-1.4\n% une autre version\n%%EOF\n'),
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/pdf', 'If-Match': `"${current}"` },
    });
    assert.equal(elsewhere.status, 200);
    const newest = (await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}/report`, undefined, key)).body.document.sha256;
    assert.notEqual(newest, current);
    await section.getByLabel('Nouveau document (PDF, ODT ou DOCX)').setInputFiles(pdf);
    await section.getByLabel('Remplacer le document déjà déposé (l’ancien ne sera plus consultable)').check({ force: true });
    await section.getByRole('button', { name: 'Remplacer le document' }).click();
    await section.locator('.report-upload .field-error', { hasText: 'a changé entre-temps (409)' }).waitFor();
    await audit(page, 'authority space: replacement conflict (409)');
    assert.equal((await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}/report`, undefined, key)).body.document.sha256, newest);
    // Reloaded, the view knows the stored document again and the replacement goes through.
    await page.reload();
    await section.locator('.report-upload').waitFor();
    await section.getByLabel('Nouveau document (PDF, ODT ou DOCX)').setInputFiles(pdf);
    await section.getByLabel('Remplacer le document déjà déposé (l’ancien ne sera plus consultable)').check({ force: true });
    await section.getByRole('button', { name: 'Remplacer le document' }).click();
    await section.locator('.upload-status', { hasText: 'Document reçu' }).waitFor();
    assert.equal((await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}/report`, undefined, key)).body.document.sha256, current);
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('.report-section input, .report-section textarea, .report-section progress')]
      .filter((node) => node.labels.length === 0).map((node) => node.id));
    assert.deepEqual(unlabelled, []);
    await page.screenshot({ path: path.join(SHOTS, 'authority-report.png'), fullPage: true });
  } finally {
    await page.close();
    rmSync(files, { recursive: true, force: true });
  }

  // DAECT finds the report in « Capitalisation » by a word of its summary, opens its need,
  // downloads the document and rates the mission.
  const daect = await newPage();
  await signIn(daect);
  await daect.getByRole('link', { name: 'Capitalisation' }).click();
  await daect.getByLabel('Rechercher').fill('lombricompostage');
  await daect.getByRole('button', { name: 'Rechercher' }).click();
  const hit = daect.locator(`.report-hit[data-need="${need.id}"]`);
  await hit.waitFor();
  assert.equal(await daect.locator('.report-hit').count(), 1);
  await audit(daect, 'capitalisation: the new report found');
  await hit.locator('.report-need').click();
  await daect.waitForURL(new RegExp(`#/besoin/${need.id}$`));
  const panel = daect.locator('.report-panel');
  await panel.locator('.report-summary-view').waitFor();
  assert.match(await panel.locator('[data-field="resultats"]').innerText(), /lombricompostage enseigné/);
  assert.equal(await panel.locator('[data-field="suites_envisagees"]').innerText(), 'Une mission de suivi au printemps.');
  const [download] = await Promise.all([
    daect.waitForEvent('download'),
    panel.getByRole('button', { name: 'Télécharger le document' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.pdf$/);
  assert.ok(readFileSync(await download.path()).equals(pdfBytes));
  await panel.getByLabel('Note de la DAECT').selectOption('4');
  await panel.getByLabel('Note du partenaire étranger').selectOption('5');
  await panel.getByRole('button', { name: 'Enregistrer les notes' }).click();
  await panel.locator('.report-live', { hasText: 'Notes du rapport enregistrées.' }).waitFor();
  const rated = (await server.api('GET', `/v1/needs/${encodeURIComponent(need.id)}/report`)).body;
  assert.equal(rated.daect_rating, 4);
  assert.equal(rated.partner_rating, 5);
  assert.equal(rated.summary.recommandations, 'Associer les écoles dès la préparation.');
  assert.equal(await panel.getByLabel('Note de la DAECT').inputValue(), '4');
  assert.equal(await panel.locator('.report-live').textContent(), 'Notes du rapport enregistrées.');
  await audit(daect, 'need: report view with the rating form');
  await daect.screenshot({ path: path.join(SHOTS, 'need-report.png'), fullPage: true });
  await daect.close();

  // An analyst reads the report but is not offered the ratings.
  const analyst = await newPage();
  await signIn(analyst, server.createKey('analyst'));
  await analyst.goto(`${server.base}/#/besoin/${encodeURIComponent(need.id)}`);
  await analyst.locator('.report-panel .report-summary-view').waitFor();
  assert.equal(await analyst.locator('.report-panel .report-ratings').count(), 0);
  assert.equal(await analyst.getByRole('button', { name: 'Télécharger le document' }).count(), 1);
  await audit(analyst, 'need: report view, analyst (read only)');
  await analyst.close();
});

// "2027-01-05" -> "5 janvier 2027", as the page writes a date.
function frenchDate(day) {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

test('« Couverture »: the map colours a country by its uncovered needs, the table says the same, empty régions are flagged', async () => {
  // Two needs in Mongolia in 2030, a year no other need meets: one no authority can take (no
  // one's experts speak Mongolian), one that some can.
  const before2030 = await server.api('GET', '/v1/coverage?from=2030-01-01&to=2030-12-31');
  assert.equal(before2030.status, 200);
  assert.equal(before2030.body.needs, 0);
  for (const need of [
    { id: 'mn-couv-1', country: 'MN', partner: { name: 'Ville d’Erdenet' }, themes: [{ theme: 'environnement.eau' }],
      languages: ['mn'], period: { start: '2030-03-02', end: '2030-03-06' }, description: 'Réseau d’eau.' },
    { id: 'mn-couv-2', country: 'MN', partner: { name: 'Ville d’Erdenet' }, themes: [{ theme: 'environnement.eau' }],
      period: { start: '2030-05-04', end: '2030-05-08' }, description: 'Qualité de l’eau.' },
  ]) {
    const posted = await server.api('POST', '/v1/needs', need);
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
  }
  let expected;
  for (let tries = 0; tries < 100; ++tries) {  // the snapshot picks the needs up within 250 ms
    expected = (await server.api('GET', '/v1/coverage?from=2030-01-01&to=2030-12-31')).body;
    if (expected.needs === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(expected.needs, 2);
  const mn = expected.countries.find((country) => country.country === 'MN');
  assert.equal(mn.uncovered_needs, 1);
  assert.deepEqual(mn.themes[0].uncovered_needs.map((need) => need.id), ['mn-couv-1']);
  assert.ok(mn.themes[0].eligible_authorities > 0);
  // A région without a label on the theme, as the server counts it.
  const row = expected.theme_regions[0];
  const emptyRegion = expected.regions[row.by_region.indexOf(0)];
  assert.ok(emptyRegion, 'some région has no label on environnement.eau');

  // axe-core, imported here so that this test's edits stay in its body.
  const { audit } = await import('./harness.mjs');
  const page = await newPage();
  await signIn(page);
  await page.getByRole('link', { name: 'Couverture' }).click();
  await page.getByRole('heading', { level: 1, name: 'Couverture' }).waitFor();
  await page.locator('#coverage-countries, .results .empty').first().waitFor();
  await audit(page, 'coverage, default period');
  // The default period is the past year and the year to come (the form shows the page's own
  // dates: both a year from today, 730 or 731 days apart).
  const shown = async (label) => new Date(`${await page.getByLabel(label, { exact: true }).inputValue()}T00:00:00Z`);
  const days = ((await shown('Au')) - (await shown('Du'))) / 86400000;
  assert.ok(days === 730 || days === 731, `default period of ${days} days`);
  const now = Date.now();
  assert.ok((await shown('Du')) < now && (await shown('Au')) > now);
  await page.getByLabel('Du', { exact: true }).fill('2030-01-01');
  await page.getByLabel('Au', { exact: true }).fill('2030-12-31');
  await page.getByRole('button', { name: 'Afficher' }).click();
  const countryRow = page.locator('#coverage-countries tbody tr[data-country="MN"]');
  await countryRow.waitFor();
  // The percentage's space is a narrow no-break one in French.
  const cells = (await countryRow.locator('th, td').allInnerTexts()).map((text) => text.replace(/\s/gu, ' '));
  assert.deepEqual(cells, ['Mongolie', '2', '1', '50 %']);

  const mapPath = page.locator('svg.world-map path[data-country="MN"]');
  assert.equal(await mapPath.getAttribute('class'), 'cov-1');
  assert.equal(await mapPath.locator('title').textContent(), 'Mongolie : 1 besoin non couvert sur 2');
  // A country without needs is titled too, and coloured as such.
  const france = page.locator('svg.world-map path[data-country="FR"]');
  assert.equal(await france.getAttribute('class'), 'cov-none');
  assert.equal(await france.locator('title').textContent(), 'France : aucun besoin sur la période');
  assert.equal(await page.locator('svg.world-map').getAttribute('aria-labelledby'), 'coverage-map-title');
  assert.equal(await page.locator('.coverage-legend li').count(), 5);
  // The two darkest classes are hatched as well as coloured (map and legend).
  assert.equal(await page.locator('svg.world-map pattern#cov-hatch-2 line').count(), 1);
  assert.equal(await page.locator('svg.world-map pattern#cov-hatch-3 line').count(), 2);

  // The uncovered need links to its page, with the filters that removed its candidates.
  const uncovered = page.locator('.coverage-country[data-country="MN"] .uncovered-needs li');
  assert.equal(await uncovered.count(), 1);
  assert.equal(await uncovered.getByRole('link', { name: 'mn-couv-1' }).getAttribute('href'), '#/besoin/mn-couv-1');
  assert.match(await uncovered.innerText(), /Aucune langue de travail commune : \d+/);

  const cell = page.locator(`#coverage-regions tr[data-theme="environnement.eau"] td[data-region="${emptyRegion}"]`);
  assert.equal(await cell.getAttribute('class'), 'num gap');
  assert.equal(await cell.textContent(), '0 : aucune collectivité labellisée : à inviter à candidater');
  const fullRegion = expected.regions[row.by_region.findIndex((count) => count > 0)];
  const full = page.locator(`#coverage-regions tr[data-theme="environnement.eau"] td[data-region="${fullRegion}"]`);
  assert.equal(await full.getAttribute('class'), 'num');

  // The programme's whole horizon for the screenshot: the sample's needs and these.
  await page.getByLabel('Du', { exact: true }).fill('2027-01-01');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await page.locator('#coverage-countries tbody tr[data-country="BF"]').waitFor();
  assert.equal(await page.locator('svg.world-map path[data-country="MN"]').getAttribute('class'), 'cov-1');
  await page.screenshot({ path: path.join(SHOTS, 'coverage.png'), fullPage: true });
  // The map's colours and outlines in DSFR's dark theme.
  await page.evaluate(() => document.documentElement.setAttribute('data-fr-theme', 'dark'));
  await audit(page, 'coverage, dark theme');
  await page.locator('.map-wrap').screenshot({ path: path.join(SHOTS, 'coverage-map-dark.png') });
  await page.evaluate(() => document.documentElement.setAttribute('data-fr-theme', 'light'));

  // One theme: the address keeps it, Mongolia's needs are on it.
  await page.getByLabel('Thème', { exact: true }).selectOption('environnement.eau');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await page.waitForFunction(() => location.hash.includes('theme=environnement.eau'));
  await page.locator('#coverage-countries tbody tr[data-country="MN"]').waitFor();
  const withTheme = (await server.api('GET', '/v1/coverage?from=2027-01-01&to=2030-12-31&theme=environnement.eau')).body;
  await page.waitForFunction((n) => document.querySelectorAll('#coverage-countries tbody tr').length === n, withTheme.countries.length);
  assert.equal(await page.getByLabel('Thème', { exact: true }).inputValue(), 'environnement.eau');
  await audit(page, 'coverage, a theme chosen');

  // Bad input is refused in French naming the field, in the results and under the field.
  await page.getByLabel('Du', { exact: true }).fill('2031-01-01');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await page.locator('.results .error-box').waitFor();
  assert.match(await page.locator('.results .error-box').innerText(), /Fin de la période\s+est antérieure au début de la période/);
  assert.equal(await page.locator('#coverage-to-error').innerText(), 'Fin de la période : est antérieure au début de la période');
  assert.equal(await page.getByLabel('Au', { exact: true }).getAttribute('aria-invalid'), 'true');
  await audit(page, 'coverage, period refused');
  await page.close();
});

test('no script error and no CSP violation on any page', () => {
  assert.deepEqual(pageProblems, []);
});
