// The official list's search field (web/assets/official-picker.js) in Debian's Chromium, on the
// « Propositions » screen where DAECT has it: typing lists the matches the API gives (the most
// populous first), the keyboard moves among them and chooses one, Échap closes the list; the
// combobox's ARIA states follow. The list is tests/data/official, imported into the server's
// fresh database by `expectmatch import --official-list`.
//   node --test official.mjs   (ctest: web_official)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, watchedPage, signInWith, audit } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BINARY = process.env.EXPECTMATCH_BINARY || path.join(ROOT, 'build/app/expectmatch');
const FIXTURE = path.join(ROOT, 'tests/data/official/data');
const SHOTS = process.env.EXPECTMATCH_SCREENSHOTS || path.join(ROOT, 'docs/screenshots');

let server;
let browser;
const pageProblems = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer(BINARY);
  execFileSync(BINARY, ['import', '--official-list', FIXTURE, '--db', server.db], { stdio: 'ignore' });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const newPage = () => watchedPage(browser, pageProblems);
const signIn = (page, key) => signInWith(page, server.base, key);

async function optionNames(page) {
  return page.locator('#official-search-list [role="option"] .official-name').allTextContents();
}

test('DAECT finds an authority of the official list with the keyboard and reads its codes', async () => {
  const page = await newPage();
  await signIn(page, server.key);
  await page.goto(`${server.base}/#/propositions`);
  const input = page.getByRole('combobox', { name: 'Rechercher dans la liste officielle' });
  await input.waitFor();
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  const listId = await input.getAttribute('aria-controls');
  assert.equal(listId, 'official-search-list');

  // One letter: no request, a hint.
  await input.fill('r');
  await page.locator('#official-search-status', { hasText: 'Saisissez au moins 2 caractères.' }).waitFor();
  assert.equal(await input.getAttribute('aria-expanded'), 'false');

  // Accents and case do not matter; the order is the API's (most populous first).
  await input.fill('');
  await input.pressSequentially('METRO');
  await page.locator('#official-search-list:not([hidden]) [role="option"]').first().waitFor();
  const api = await server.api('GET', '/v1/official-authorities?q=METRO&limit=8');
  assert.equal(api.status, 200);
  assert.deepEqual(await optionNames(page), api.body.items.map((item) => item.name));
  assert.deepEqual(await optionNames(page), ['Métropole de Lyon', 'Rennes Métropole']);
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  await page.locator('#official-search-status', { hasText: '2 collectivités trouvées.' }).waitFor();
  await audit(page, 'official list combobox, open with options');

  // ↓ ↓ makes the second active (the focus stays in the input), ↑ goes back to the first.
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), 'official-search-option-1');
  assert.equal(await page.locator('#official-search-option-1').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('#official-search-option-0').getAttribute('aria-selected'), 'false');
  await input.press('ArrowUp');
  assert.equal(await input.getAttribute('aria-activedescendant'), 'official-search-option-0');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'official-search');
  await audit(page, 'official list combobox, an option active');
  await page.screenshot({ path: path.join(SHOTS, 'official-search.png') });

  // Échap closes the list and keeps the text; a new word reopens it.
  await input.press('Escape');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#official-search-list').isHidden(), true);
  assert.equal(await input.inputValue(), 'METRO');

  // Two words, each the start of a word of the name: one match; Entrée chooses it.
  await input.fill('');
  await input.pressSequentially('ren métro');
  await page.locator('#official-search-list:not([hidden]) [role="option"]').first().waitFor();
  assert.deepEqual(await optionNames(page), ['Rennes Métropole']);
  await input.press('ArrowDown');
  await input.press('Enter');
  assert.equal(await input.inputValue(), 'Rennes Métropole');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  await page.locator('.official-chosen-name', { hasText: 'Rennes Métropole' }).waitFor();
  assert.equal(await page.locator('.official-siren').textContent(), '243500139');
  assert.equal(await page.locator('.official-insee').textContent(), '—');
  await audit(page, 'official list search, an authority chosen');

  // A commune by mouse: its INSEE code and SIREN.
  await input.fill('');
  await input.pressSequentially('saint-malo');
  await page.locator('#official-search-list:not([hidden]) [role="option"]').first().waitFor();
  assert.deepEqual(await optionNames(page), ['Saint-Malo']);
  await page.locator('#official-search-option-0').click();
  await page.locator('.official-chosen-name', { hasText: 'Saint-Malo' }).waitFor();
  assert.equal(await page.locator('.official-siren').textContent(), '213502883');
  assert.equal(await page.locator('.official-insee').textContent(), '35288');

  // Nothing found: said, the list stays closed.
  await input.fill('');
  await input.pressSequentially('zzz');
  await page.locator('#official-search-status', { hasText: 'Aucune collectivité de la liste officielle ne correspond.' }).waitFor();
  assert.equal(await input.getAttribute('aria-expanded'), 'false');

  // Échap on a closed list empties the field.
  await input.press('Escape');
  assert.equal(await input.inputValue(), '');
  await page.close();
});

test('an analyst reads the proposals without the official list search (DAECT only)', async () => {
  const page = await newPage();
  await signIn(page, server.createKey('analyst'));
  await page.goto(`${server.base}/#/propositions`);
  await page.locator('h1', { hasText: 'Propositions' }).waitFor();
  await page.locator('.proposals-results .empty, .proposals-table').first().waitFor();
  assert.equal(await page.locator('#official-search').count(), 0);
  await page.close();
});

test('DAECT files an application for an authority absent from the catalogue, found by name in the official list', async () => {
  assert.equal((await server.api('GET', '/v1/collectivites/com-35047')).status, 404);
  const page = await newPage();
  await signIn(page, server.key);
  await page.goto(`${server.base}/#/candidatures/nouvelle`);
  await page.getByRole('heading', { level: 1, name: 'Demander un label' }).waitFor();
  await page.locator('.official-field summary').click();
  const input = page.locator('#application-official');
  await input.fill('bru');
  await page.locator('#application-official-list:not([hidden]) [role="option"]').first().waitFor();
  await input.press('ArrowDown');
  await input.press('Enter');
  await page.locator('#application-official-chosen', { hasText: 'SIREN 213500473' }).waitFor();
  assert.match(await page.locator('#application-official-chosen').innerText(), /Bruz.*créée au catalogue/s);
  await audit(page, 'application form (DAECT), an authority of the official list chosen');
  const themeId = (await server.api('GET', '/v1/themes')).body.items.find((one) => one.parent).id;
  const theme = page.locator(`.application-themes input[value="${themeId}"]`);
  await theme.evaluate((box) => { box.closest('details').open = true; });
  // DSFR draws the box on the label, which takes the click (as a person's click).
  await page.locator(`label[for="${await theme.getAttribute('id')}"]`).check();
  assert.ok(await theme.isChecked());
  await page.getByLabel('Justification de la demande (obligatoire)').fill('Vingt ans de gestion de l’eau potable en régie, un schéma directeur récent.');
  // A language code the API does not know is refused beside its field; nothing is created.
  await page.getByLabel(/Langues de travail/).fill('fr, zz');
  await page.getByRole('button', { name: 'Déposer la candidature' }).click();
  await page.locator('#application-languages-error:not([hidden])').waitFor();
  assert.equal((await server.api('GET', '/v1/collectivites/com-35047')).status, 404);
  assert.equal(await page.getByLabel(/Langues de travail/).getAttribute('aria-invalid'), 'true');
  await audit(page, 'application form (DAECT), a language code refused');
  await page.getByLabel(/Langues de travail/).fill('fr, es');
  await page.getByLabel('Missions qu’elle peut accepter par an').fill('2');
  await page.getByRole('button', { name: 'Déposer la candidature' }).click();
  await page.getByRole('heading', { level: 1, name: 'Candidature de Bruz' }).waitFor();
  const record = (await server.api('GET', '/v1/collectivites/com-35047')).body;
  assert.equal(record.siren, '213500473');
  assert.equal(record.insee, '35047');
  assert.deepEqual(record.languages, ['fr', 'es']);
  assert.equal(record.capacity_per_year, 2);
  await page.close();
});

test('no script error and no CSP violation', () => {
  assert.deepEqual(pageProblems, []);
});
