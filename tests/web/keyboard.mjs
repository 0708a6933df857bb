// The DAECT page used as a person using only a keyboard would (RGAA, checked as a person
// would): no mouse, no click, only page.keyboard, through the main flow — sign in, the skip
// links and the menu, a need opened from the inbox, a weight moved, an authority chosen, the
// mission recorded. At each step: the focused element is the expected one, its focus is
// visible, and the focus follows the visual order. Then the page at 200 % zoom.
//   node --test keyboard.mjs
// Environment: EXPECTMATCH_BINARY (default build/app/expectmatch), EXPECTMATCH_SCREENSHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, launchBrowser, watchedPage, signInWith, audit, CHROMIUM, CHROMIUM_ARGS } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BINARY = process.env.EXPECTMATCH_BINARY || path.join(ROOT, 'build/app/expectmatch');
const SHOTS = process.env.EXPECTMATCH_SCREENSHOTS || path.join(ROOT, 'docs/screenshots');
// A submitted need of the bundled sample, ranked, that nothing else in this suite touches.
const NEED = 'n-2026-021';

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

// What the focused element is, where it is drawn, the region it belongs to, and whether its
// focus can be seen (an outline of some width, or a box-shadow, as DSFR draws them).
async function focused(page) {
  return page.evaluate(() => {
    const node = document.activeElement;
    if (!node || node === document.body) return { tag: 'body' };
    const style = getComputedStyle(node);
    const box = node.getBoundingClientRect();
    const drawn = (one) => (one.outlineStyle !== 'none' && parseFloat(one.outlineWidth) > 0) || (one.boxShadow && one.boxShadow !== 'none');
    // DSFR draws some focus rings elsewhere than on the element: on the ::before that
    // enlarges a link (fr-enlarge-link), on a range's thumb. Those count when the rule that
    // draws them applies (the element matches :focus-visible).
    const onPseudo = drawn(getComputedStyle(node, '::before')) || drawn(getComputedStyle(node, '::after'));
    const thumbRule = node.matches('input[type="range"]') && [...document.styleSheets].some((sheet) => {
      try {
        return [...sheet.cssRules].some((rule) => rule.selectorText && /:focus::-webkit-slider-thumb/.test(rule.selectorText)
          && rule.style.outlineStyle === 'solid' && parseFloat(rule.style.outlineWidth) > 0);
      } catch {
        return false;
      }
    });
    const region = node.closest('nav, header, footer, form, section, table, [role="search"], main');
    return {
      tag: node.tagName.toLowerCase(),
      id: node.id,
      text: (node.textContent || '').trim().replace(/\s+/g, ' '),
      name: node.getAttribute('aria-label') || (node.labels && node.labels[0] ? node.labels[0].textContent.trim().replace(/\s+/g, ' ') : ''),
      classes: node.className,
      visibleFocus: node.matches(':focus-visible') && (drawn(style) || onPseudo || thumbRule),
      outline: `${style.outlineStyle} ${style.outlineWidth} / ${style.boxShadow}`,
      box: { x: box.x + window.scrollX, y: box.y + window.scrollY, width: box.width, height: box.height },
      region: region ? `${region.tagName.toLowerCase()}#${region.id || ''}.${[...region.classList].join('.')}` : 'document',
    };
  });
}

// Waits for `locator` (`what` names it); on a timeout, fails with what the page shows instead:
// its address, the focused element and the start of <main>.
async function expectShown(page, locator, what) {
  try {
    await locator.waitFor();
  } catch (error) {
    const state = await page.evaluate(() => ({
      address: location.hash,
      focused: document.activeElement ? `${document.activeElement.tagName} ${document.activeElement.id} « ${(document.activeElement.textContent || '').trim().slice(0, 40)} »` : null,
      main: (document.getElementById('main')?.innerText || '').slice(0, 400),
    }));
    assert.fail(`${what} not shown (${error.message.split('\n')[0]}); the page: ${JSON.stringify(state)}`);
  }
}

// Presses Tab and returns the element then focused, after checking its focus is visible.
async function tab(page, keys = 'Tab') {
  await page.keyboard.press(keys);
  const now = await focused(page);
  assert.notEqual(now.tag, 'body', 'the focus fell back on the page itself');
  assert.ok(now.visibleFocus, `no visible focus on ${now.tag}#${now.id} « ${now.text.slice(0, 40)} » (${now.outline})`);
  return now;
}

// Leaves a date field with Tab: its day, month and year, then its calendar button, take the
// presses first. Returns the next element focused (checked like tab()).
async function tabOutOfDate(page) {
  const from = (await focused(page)).id;
  for (let i = 0; i < 5; i += 1) {
    await page.keyboard.press('Tab');
    if ((await focused(page)).id !== from) break;
  }
  const now = await focused(page);
  assert.notEqual(now.id, from, `Tab does not leave #${from}`);
  assert.ok(now.visibleFocus, `no visible focus on ${now.tag}#${now.id} (${now.outline})`);
  return now;
}

// Tabs until `matches(focused)` (at most `limit` presses), returning every element met.
async function tabUntil(page, matches, what, limit = 60) {
  const met = [];
  for (let i = 0; i < limit; i += 1) {
    const now = await tab(page);
    met.push(now);
    if (matches(now)) return met;
  }
  assert.fail(`${what} not reached in ${limit} presses of Tab: ${met.map((one) => `${one.tag}#${one.id} « ${one.text.slice(0, 30)} »`).join(' → ')}`);
}

// The focus follows the visual order: within one region, each next element is below the
// previous one, or on the same line to its right.
function assertVisualOrder(sequence, what) {
  for (let i = 1; i < sequence.length; i += 1) {
    const previous = sequence[i - 1];
    const next = sequence[i];
    if (previous.region !== next.region) continue;
    const a = previous.box;
    const b = next.box;
    const below = b.y >= a.y + a.height - 2;
    const sameLine = b.y < a.y + a.height && b.y + b.height > a.y;
    const right = b.x >= a.x + a.width - 2;
    assert.ok(below || (sameLine && right),
      `${what}: « ${next.text.slice(0, 30) || next.id} » (${Math.round(b.x)},${Math.round(b.y)}) comes after « ${previous.text.slice(0, 30) || previous.id} » (${Math.round(a.x)},${Math.round(a.y)}) but is drawn before it in ${next.region}`);
  }
}

test('keyboard only: sign in, skip links and menu, open a need, move a weight, choose an authority, record the mission', async () => {
  const page = await watchedPage(browser, pageProblems);
  await page.goto(`${server.base}/`);
  // The sign-in form puts the focus on its field.
  let now = await focused(page);
  assert.equal(now.id, 'api-key');
  await page.keyboard.type(server.key);
  await page.keyboard.press('Enter');
  await page.locator('.role-badge').first().waitFor({ state: 'attached' });
  await expectShown(page, page.locator('.needs-table tbody tr').first(), 'the inbox rows');

  // A fresh load of the inbox (the key stays in this tab): the focus starts at the top.
  await page.goto(`${server.base}/#/`);
  await page.reload();
  await expectShown(page, page.locator('.needs-table tbody tr').first(), 'the inbox rows');
  const top = [];
  now = await tab(page);
  assert.equal(now.text, 'Aller au contenu');
  top.push(now);
  now = await tab(page);
  assert.equal(now.text, 'Aller au menu');
  top.push(now);
  now = await tab(page);
  assert.equal(now.text, 'Aller au pied de page');
  top.push(now);
  await audit(page, 'keyboard: skip links');
  // Then the header (service name, sign-out, display settings) and the menu.
  top.push(...await tabUntil(page, (one) => one.region.startsWith('nav#nav') && one.text === 'Besoins', 'the menu\'s « Besoins »'));
  assert.ok(top.some((one) => one.text === 'Se déconnecter'), 'the header\'s « Se déconnecter » was not on the way');
  now = await tab(page);
  assert.equal(now.text, 'Nouveau besoin');
  top.push(now);
  assertVisualOrder(top, 'header and menu');

  // Back to the first skip link, which takes the focus to the content.
  for (let i = 0; i < 40 && (await focused(page)).text !== 'Aller au contenu'; i += 1) await tab(page, 'Shift+Tab');
  assert.equal((await focused(page)).text, 'Aller au contenu');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');
  // The skip link moves the focus and leaves the address (the screen) as it was.
  assert.equal(await page.evaluate(() => location.hash), '#/');
  await expectShown(page, page.locator('.needs-table tbody tr').first(), 'the inbox rows');

  // The inbox: its filters in order, a search, then the need's link.
  const inbox = await tabUntil(page, (one) => one.id === 'filter-search', 'the search field');
  assert.deepEqual(inbox.filter((one) => one.id.startsWith('filter-')).map((one) => one.id),
    ['filter-status', 'filter-country', 'filter-theme', 'filter-search']);
  assertVisualOrder(inbox, 'inbox filters');
  await page.keyboard.type('Dioulasso');
  await page.waitForFunction(() => document.querySelectorAll('.needs-table tbody tr').length === 1);
  await audit(page, 'keyboard: inbox searched');
  now = await tab(page);
  assert.equal(now.text, 'Commune de Bobo-Dioulasso');
  assert.ok(now.classes.includes('need-link'));
  await page.keyboard.press('Enter');
  await expectShown(page, page.getByRole('heading', { level: 1, name: 'Commune de Bobo-Dioulasso — Burkina Faso' }), 'the need opened from the inbox');
  await expectShown(page, page.locator('.candidate').first(), 'the ranked candidates');
  await page.waitForFunction(() => document.querySelector('.results')?.getAttribute('aria-busy') === 'false');
  // Opening a screen puts the focus on its content.
  assert.equal((await focused(page)).id, 'main');
  await audit(page, 'keyboard: need');
  // On the need too, « Aller au contenu » keeps the need on screen.
  for (let i = 0; i < 40 && (await focused(page)).text !== 'Aller au contenu'; i += 1) await tab(page, 'Shift+Tab');
  assert.equal((await focused(page)).text, 'Aller au contenu');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');
  assert.equal(await page.evaluate(() => location.hash), `#/besoin/${NEED}`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Commune de Bobo-Dioulasso — Burkina Faso');

  // The need: back link, status moves, then the weights panel down to the first criterion.
  const needWalk = await tabUntil(page, (one) => one.id === 'w-thematic', 'the first weight');
  assert.equal(needWalk[0].text, 'Tous les besoins');
  assert.deepEqual(needWalk.filter((one) => ['profile', 'profile-version', 'k'].includes(one.id)).map((one) => one.id),
    ['profile', 'profile-version', 'k']);
  assertVisualOrder(needWalk, 'need page');
  // Arrow keys move the weight; the ranking is computed again and said.
  const before = await page.locator('#w-thematic').inputValue();
  for (let i = 0; i < 10; i += 1) await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((value) => document.getElementById('w-thematic').value !== value, before);
  assert.equal((await focused(page)).id, 'w-thematic');
  const moved = Number(await page.locator('#w-thematic').inputValue());
  assert.ok(Math.abs(moved - (Number(before) - 0.1)) < 1e-9, `the weight is ${moved} after ten presses from ${before}`);
  await page.locator('#ranking-news', { hasText: 'Classement mis à jour' }).waitFor({ state: 'attached' });
  await page.waitForFunction(() => document.querySelector('.results')?.getAttribute('aria-busy') === 'false');
  await audit(page, 'keyboard: weight moved');
  // The other criteria, in the order drawn.
  const weights = [await focused(page)];
  for (const feature of ['country_presence', 'partner_history', 'track_record', 'language', 'availability']) {
    now = await tab(page);
    assert.equal(now.id, `w-${feature}`);
    weights.push(now);
  }
  assertVisualOrder(weights, 'weights');

  // The first candidate's « Choisir cette collectivité », then its form.
  const firstName = await page.locator('.candidate').first().locator('.candidate-name').textContent();
  const toChoose = await tabUntil(page, (one) => one.text === 'Choisir cette collectivité', '« Choisir cette collectivité »');
  const choose = toChoose.at(-1);
  assert.ok(await page.evaluate(() => document.activeElement.closest('.candidate') === document.querySelector('.candidate')),
    'the first « Choisir » met is not the first candidate\'s');
  assertVisualOrder(toChoose.filter((one) => !one.region.includes('weights')), 'ranking');
  await page.keyboard.press('Enter');
  now = await focused(page);
  assert.equal(now.tag, 'textarea');
  assert.equal(now.name, 'Note pour le dossier (facultative)');
  assert.ok(now.visibleFocus);
  assert.ok(now.box.y >= choose.box.y, 'the decision form opens above its button');
  await audit(page, 'keyboard: decision form');
  await page.keyboard.type('Choisie au clavier');
  now = await tab(page);
  assert.equal(now.text, 'Confirmer la décision');
  await page.keyboard.press('Enter');
  await expectShown(page, page.locator('#history li', { hasText: firstName }), 'the recorded decision in the history');

  // Recorded, the focus goes to the mission form that the decision opened.
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'mission-start');
  const mission = [await focused(page)];
  assert.ok(mission[0].visibleFocus);
  await audit(page, 'keyboard: decision recorded');
  // Dates typed in the date fields (the day equal to the month: the same date whatever order
  // the browser's date field asks them in).
  await page.keyboard.type('05052027');
  assert.equal(await page.locator('#mission-start').inputValue(), '2027-05-05');
  mission.push(await tabOutOfDate(page));
  assert.equal(mission.at(-1).id, 'mission-end');
  await page.keyboard.type('06062027');
  assert.equal(await page.locator('#mission-end').inputValue(), '2027-06-06');
  mission.push(await tabOutOfDate(page));
  assert.equal(mission.at(-1).id, 'mission-report');
  mission.push(await tabOutOfDate(page));
  assert.equal(mission.at(-1).id, 'mission-rating');
  await page.keyboard.press('ArrowDown');
  mission.push(await tab(page));
  assert.equal(mission.at(-1).text, 'Enregistrer la mission');
  assertVisualOrder(mission, 'mission form');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.page-head .status')?.textContent === 'En mission');
  const stored = (await server.api('GET', `/v1/needs/${NEED}`)).body;
  assert.equal(stored.status, 'in_mission');
  assert.equal(stored.decisions.at(-1).note, 'Choisie au clavier');
  assert.deepEqual([stored.mission.start, stored.mission.end, stored.mission.rating], ['2027-05-05', '2027-06-06', 1]);
  await audit(page, 'keyboard: mission recorded');
  await page.close();
});

// Chromium's zoom at 200 % in a 1366 × 900 window lays the page out exactly as a 683 × 450
// CSS-pixel viewport drawn at two device pixels per CSS pixel: same media queries, same
// breakpoints, same text size relative to the viewport. A browser context with that viewport
// and deviceScaleFactor 2 is therefore the zoomed window (CSS `zoom` on the body would not
// change the viewport the media queries see, and a page scale factor is a pinch, not a zoom).
test('zoom at 200 %: no sideways scrolling, the menu opens with the keyboard, every control of the need reachable', async () => {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'expectmatch-zoom-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    viewport: { width: 683, height: 450 }, deviceScaleFactor: 2, locale: 'fr-FR', timezoneId: 'Europe/Paris',
  });
  try {
    const page = await watchedPage({ context }, pageProblems);
    await signInWith(page, server.base, server.key);
    await expectShown(page, page.locator('.needs-table tbody tr').first(), 'the inbox rows');
    assert.equal(await page.evaluate(() => window.devicePixelRatio), 2);
    assert.equal(await page.evaluate(() => window.innerWidth), 683);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, 'the inbox scrolls sideways at 200 %');
    await audit(page, 'inbox at 200 %');

    // The header's tools and menu fold into « Menu », which opens and closes with the keyboard.
    const menuButton = page.locator('#header-menu-button');
    assert.ok(await menuButton.isVisible());
    assert.equal(await page.locator('#nav').isVisible(), false);
    await page.goto(`${server.base}/#/`);
    await page.reload();
    await expectShown(page, page.locator('.needs-table tbody tr').first(), 'the inbox rows');
    await tabUntil(page, (one) => one.id === 'header-menu-button', 'the « Menu » button');
    await page.keyboard.press('Enter');
    await page.locator('#nav').getByRole('link', { name: 'Besoins' }).waitFor({ state: 'visible' });
    assert.equal(await menuButton.getAttribute('data-fr-opened'), 'true');
    await audit(page, 'menu open at 200 %');
    const inMenu = await tabUntil(page, (one) => one.text === 'Affectation par lot', 'the menu\'s « Affectation par lot »', 20);
    assert.ok(inMenu.every((one) => one.region.startsWith('nav') || one.region.startsWith('header')), 'the focus left the open menu');
    await page.keyboard.press('Escape');
    await page.locator('#nav').waitFor({ state: 'hidden' });
    assert.equal((await focused(page)).id, 'header-menu-button');

    // The need: nothing wider than the window, every control can be brought into view.
    await page.goto(`${server.base}/#/besoin/${NEED}`);
    await expectShown(page, page.locator('.candidate').first(), 'the ranked candidates');
    await page.waitForFunction(() => document.querySelector('.results')?.getAttribute('aria-busy') === 'false');
    assert.ok((await overflow()) <= 0, 'the need page scrolls sideways at 200 %');
    const controls = page.locator('main :is(a[href], button, input, select, textarea, summary)');
    const count = await controls.count();
    assert.ok(count > 20, `only ${count} controls on the need page`);
    for (let i = 0; i < count; i += 1) {
      const control = controls.nth(i);
      await control.scrollIntoViewIfNeeded();
      const box = await control.boundingBox();
      const what = await control.evaluate((node) => `${node.tagName.toLowerCase()}#${node.id} « ${(node.textContent || '').trim().slice(0, 30)} »`);
      assert.ok(box && box.width > 0 && box.height > 0, `${what} is not drawn at 200 %`);
      assert.ok(box.x >= 0 && box.x + box.width <= 683 + 1, `${what} is outside the window at 200 % (${box.x}, width ${box.width})`);
      assert.ok(box.y + box.height > 0 && box.y < 450, `${what} cannot be scrolled into view at 200 %`);
    }
    await audit(page, 'need at 200 %');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'need-zoom-200.png'), fullPage: false });
    await page.close();
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

test('no script error and no CSP violation on any page', () => {
  assert.deepEqual(pageProblems, []);
});
