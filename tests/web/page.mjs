// The page's frame in the browser: the State design system's header, footer and display
// settings, the public accessibility statement, and what the page loads.
//   node --test page.mjs     (EXPECTMATCH_BINARY: default build/app/expectmatch)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, watchedPage, signInWith, audit } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BINARY = process.env.EXPECTMATCH_BINARY || path.join(ROOT, 'build/app/expectmatch');

let server;
let browser;

// Waits until no CSS transition or animation runs (DSFR's dialogs fade in): axe-core measures
// contrast on what is painted, and a half-faded button is not what a person reads.
// Quiet means no running animation over ten consecutive frames (a transition starts a frame or
// two after the class that triggers it).
const settled = (page) => page.waitForFunction(() => {
  window.__quietFrames = document.getAnimations().length === 0 ? (window.__quietFrames || 0) + 1 : 0;
  return window.__quietFrames >= 10;
}, null, { polling: 'raf' });
const problems = [];

before(async () => {
  server = await startServer(BINARY);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  assert.deepEqual(problems, [], 'the page reported errors or missing files');
});

test('the accessibility statement is public, linked from the footer, and in the RGAA form', async () => {
  const page = await watchedPage(browser, problems);
  await page.goto(`${server.base}/`);
  await page.getByLabel("Clé d'API").waitFor();
  // Not signed in: the footer's link still leads to the statement.
  await page.getByRole('contentinfo').getByRole('link', { name: 'Accessibilité : non conforme' }).click();
  await page.getByRole('heading', { level: 1, name: "Déclaration d'accessibilité" }).waitFor();
  const headings = await page.locator('main h2').allTextContents();
  assert.deepEqual(headings, ['État de conformité', 'Résultats des tests', 'Contenus non accessibles',
    'Établissement de cette déclaration', 'Retour d’information et contact', 'Voies de recours']);
  assert.match(await page.locator('main').textContent(), /RGAA\), version 4\.1\.2/);
  assert.match(await page.locator('main').textContent(), /axe-core 4\.14\.1/);
  await audit(page, 'accessibility statement, signed out');
  // Signed in, the same statement, with the navigation.
  await signInWith(page, server.base, server.key);
  await page.goto(`${server.base}/#/accessibilite`);
  await page.getByRole('heading', { level: 1, name: "Déclaration d'accessibilité" }).waitFor();
  assert.ok(await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Besoins' }).isVisible());
  await audit(page, 'accessibility statement, signed in');
  await page.close();
});

test('the header carries the ministry block and the service, the display settings switch to the dark theme with the keyboard and keep it', async (t) => {
  const page = await watchedPage(browser, problems);
  // The theme is kept in the browser profile, which the next tests share: back to the default.
  t.after(() => page.evaluate(() => localStorage.removeItem('scheme')).then(() => page.close()));
  await signInWith(page, server.base, server.key);
  const banner = page.getByRole('banner');
  assert.match(await banner.locator('.fr-logo').first().textContent(), /Ministère\s*de l'Europe\s*et des Affaires\s*étrangères/);
  assert.equal((await banner.locator('.fr-header__service-title').textContent()).trim(), 'EXPE-CT Match');
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-fr-theme')), 'light');
  // Keyboard only: focus the header's button, open the dialog, pick « Thème sombre ».
  const settings = banner.getByRole('button', { name: "Paramètres d'affichage" }).first();
  await settings.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: "Paramètres d'affichage" });
  await dialog.waitFor();
  // Opened, DSFR moves the focus into the dialog.
  await page.waitForFunction(() => document.getElementById('display-settings').contains(document.activeElement));
  await settled(page);
  await audit(page, 'display settings dialog');
  await dialog.getByLabel('Thème sombre').focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.documentElement.getAttribute('data-fr-theme') === 'dark');
  // DSFR leaves Escape to a focused form control: back to « Fermer » (the radio group is one
  // stop of the tab order) and close with Enter.
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('title')), 'Fermer');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  // Focus goes back to the button that opened the dialog.
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-controls')), 'display-settings');
  await page.locator('main table tbody tr').first().waitFor();
  await audit(page, 'inbox, dark theme');
  // The choice is kept (DSFR stores it in the browser) across a reload.
  await page.reload();
  await page.locator('main table tbody tr').first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-fr-theme')), 'dark');
});

test('signing out from the header, and on a narrow screen from the menu', async () => {
  const page = await watchedPage(browser, problems, { width: 390, height: 844 });
  await signInWith(page, server.base, server.key);
  // The header's tools are in the menu on a narrow screen (opened with the keyboard: a pointer
  // left over DSFR's « Fermer » would show its hover colours to axe-core).
  await page.getByRole('button', { name: 'Menu' }).focus();
  await page.keyboard.press('Enter');
  const menu = page.locator('#header-menu');
  await menu.getByRole('link', { name: 'Besoins' }).waitFor();
  await page.waitForFunction(() => document.getElementById('header-menu').classList.contains('fr-modal--opened'));
  await settled(page);
  await audit(page, 'narrow screen, menu open');
  await menu.getByRole('link', { name: 'Se déconnecter' }).click();
  await page.getByLabel("Clé d'API").waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('expectmatch.key')), null);
  await page.close();
});

test('index.html preloads exactly the inbox\'s modules; every other screen\'s module comes when the screen is opened', async () => {
  const page = await watchedPage(browser, problems);
  const scripts = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/assets/') && url.pathname.endsWith('.js') && !url.pathname.startsWith('/assets/vendor/')) {
      scripts.push(url.pathname);
    }
  });
  await signInWith(page, server.base, server.key);
  await page.locator('main table tbody tr').first().waitFor();
  // (Anything else the page would fetch by itself once the inbox is drawn.)
  await page.waitForLoadState('networkidle');
  const html = readFileSync(path.join(ROOT, 'web/index.html'), 'utf8');
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  // (And the scripts index.html runs itself: app.js, early.js.)
  const run = [...html.matchAll(/<script[^>]* src="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(scripts)].sort(), [...preloaded, ...run].sort(),
    'the inbox loads exactly the modules web/index.html preloads');
  assert.deepEqual(new Set(scripts).size, scripts.length, 'a module was fetched twice');
  assert.ok(preloaded.includes('/assets/inbox.js') && !preloaded.includes('/assets/need.js'));

  // A need: need.js and what it imports, once opened.
  await page.locator('a.need-link').first().click();
  await page.locator('.results').waitFor();
  for (const file of ['/assets/proposals.js', '/assets/need.js', '/assets/reports.js', '/assets/report.js', '/assets/official-picker.js']) {
    assert.ok(scripts.includes(file), `${file} was not loaded`);
  }
  await page.close();
});

test('a screen whose module cannot be loaded says so in French, and the page goes on', async () => {
  // (Not watchedPage: the refused file is meant to fail here.)
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/assets/batch.js', (route) => route.abort());
  await signInWith(page, server.base, server.key);
  await page.locator('main table tbody tr').first().waitFor();
  await page.getByRole('link', { name: 'Affectation par lot' }).click();
  await page.getByText("Cet écran n'a pas pu être chargé : vérifiez la connexion au serveur, puis rechargez la page.").waitFor();
  assert.equal(await page.locator('main .error-box').count(), 1);
  assert.equal(await page.locator('#banner').isHidden(), true);
  await page.getByRole('link', { name: 'Retour aux besoins' }).click();
  await page.locator('main table tbody tr').first().waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

// format.js writes the inbox's numbers, country names and orders without Intl (the first Intl
// object of a page costs tens of milliseconds of main thread): the same as Intl says, in the
// browser, on every listed country and on many values.
test('format.js without Intl says what Intl says: integers, country names, the order of countries and of ids', async () => {
  const page = await watchedPage(browser, problems);
  await page.goto(`${server.base}/#/accessibilite`);
  const sampleIds = (await server.api('GET', '/v1/needs?limit=200')).body.items.map((need) => need.id);
  const result = await page.evaluate(async (sampleIds) => {
    const format = await import('/assets/format.js');
    const { COUNTRY_NAMES } = await import('/assets/countries.js');
    const differences = [];
    // Integers: around every power of ten, negative ones, a pseudo-random spread, the limits.
    const numbers = new Intl.NumberFormat('fr-FR');
    const values = [0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1.5, -2.25, NaN, Infinity, 1e21];
    for (let power = 1; power < 1e16; power *= 10) values.push(power - 1, power, power + 1, -power, -(power + 1));
    let seed = 12345;
    for (let i = 0; i < 2000; i += 1) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      values.push(Math.floor(seed / 2 ** (seed % 31)) * (i % 3 === 0 ? -1 : 1));
    }
    for (const value of values) {
      if (format.formatInteger(value) !== numbers.format(value)) differences.push(`formatInteger(${value}): ${format.formatInteger(value)} != ${numbers.format(value)}`);
    }
    // Country names, and the order of the list.
    const regions = new Intl.DisplayNames(['fr-FR'], { type: 'region' });
    for (const [code] of COUNTRY_NAMES) {
      if (format.countryName(code) !== regions.of(code)) differences.push(`countryName(${code}): ${format.countryName(code)} != ${regions.of(code)}`);
    }
    const codes = [...COUNTRY_NAMES.map(([code]) => code), 'XK', 'EU'];
    const byIntl = [...codes].sort((a, b) => regions.of(a).localeCompare(regions.of(b), 'fr'));
    const byFormat = [...codes].sort(format.compareCountries);
    if (byIntl.join() !== byFormat.join()) differences.push(`country order: ${byFormat.join()} != ${byIntl.join()}`);
    // Ids (letters, digits, '.', '_', '-'): the sample's and made-up ones, every pair.
    const ids = [...sampleIds, 'n-2026-2', 'n-2026-10', 'n-2026-010', 'N-2026-10', 'n-2026-10a', 'n-2026-10-b', 'n_2026', 'n.2026',
      'n-2026', 'n2026', 'A1', 'a1', 'a01', 'a1b', 'a1.5', 'a1_5', 'a1-5', 'Z9', 'z10', 'b', 'B', 'ba', 'bA', 'Ba', '9', '10', '010'];
    const sign = (n) => Math.sign(n);
    for (const a of ids) {
      for (const b of ids) {
        const want = sign(a.localeCompare(b, 'fr', { numeric: true }));
        if (sign(format.compareIds(a, b)) !== want) differences.push(`compareIds(${a}, ${b}) != ${want}`);
      }
    }
    return { differences, values: values.length, countries: COUNTRY_NAMES.length, ids: ids.length };
  }, sampleIds);
  assert.deepEqual(result.differences, []);
  assert.ok(result.countries >= 249 && result.ids > 50, JSON.stringify(result));
  await page.close();
});

// DSFR's stylesheet is split (scripts/vendor-dsfr.py): dsfr.min.css, render-blocking, for the frame
// and the inbox; dsfr.deferred.min.css, added by early.js once the first screen is drawn, for the
// components of later screens. The inbox must look the same without the deferred one (compared
// property by property, with it served empty), and a later screen's component must get DSFR's
// style from it (the need's sliders: without it they have none, which shows the check can fail).
const STYLE_PROPERTIES = ['display', 'position', 'visibility', 'opacity', 'color', 'background-color',
  'background-image', 'font-family', 'font-size', 'font-weight', 'line-height', 'text-decoration-line',
  'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding-top', 'padding-right',
  'padding-bottom', 'padding-left', 'border-top-style', 'border-top-width', 'border-top-color',
  'border-bottom-style', 'border-bottom-width', 'border-bottom-color', 'box-shadow', 'mask-image',
  'content', 'flex-direction', 'justify-content', 'align-items', 'list-style-type'];

test('the inbox needs none of DSFR\'s deferred stylesheet, which is in once the first screen is drawn and styles the later screens', async () => {
  const bare = await watchedPage(browser, problems);
  await bare.route('**/assets/vendor/dsfr/dsfr.deferred.min.css',
    (route) => route.fulfill({ status: 200, contentType: 'text/css; charset=utf-8', body: '' }));
  const full = await watchedPage(browser, problems);
  const looks = [];
  for (const page of [bare, full]) {
    await signInWith(page, server.base, server.key);
    await page.locator('main table tbody tr').first().waitFor();
    // The rest of DSFR came after the first screen: its script started, its stylesheet is in,
    // once, right after the render-blocking one (DSFR's order, before the page's own styles).
    await page.waitForFunction(() => document.documentElement.getAttribute('data-fr-js') === 'true');
    await page.waitForFunction(() => {
      const link = document.querySelector('link[href="/assets/vendor/dsfr/dsfr.deferred.min.css"]');
      return link !== null && link.sheet !== null;
    });
    await page.evaluate(() => document.fonts.ready);
    // DSFR's script measures the table's caption a frame or two after it starts.
    await settled(page);
    assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('link[rel="stylesheet"]')].map((link) => link.getAttribute('href'))),
      ['/assets/vendor/dsfr/dsfr.min.css', '/assets/vendor/dsfr/dsfr.deferred.min.css', '/assets/app.css',
        '/assets/coverage.css', '/assets/candidatures.css', '/assets/authority.css']);
    looks.push(await page.evaluate((properties) => [...document.querySelectorAll('header, header *, main, main *, footer, footer *')]
      .filter((node) => !node.closest('noscript'))
      .map((node) => {
        const name = `${node.localName}${node.id ? `#${node.id}` : ''}${[...node.classList].map((c) => `.${c}`).join('')}`;
        const style = (pseudo) => {
          const computed = getComputedStyle(node, pseudo);
          return properties.map((property) => `${property}: ${computed.getPropertyValue(property)}`).join('; ');
        };
        return `${name} { ${style(null)} } ::before { ${style('::before')} } ::after { ${style('::after')} }`;
      }), STYLE_PROPERTIES));
  }
  const [withoutDeferred, withDeferred] = looks;
  assert.ok(withDeferred.length > 300, `only ${withDeferred.length} elements on the inbox`);
  assert.equal(withoutDeferred.length, withDeferred.length);
  const differing = withDeferred.findIndex((look, index) => look !== withoutDeferred[index]);
  assert.equal(differing, -1, differing === -1 ? '' : `the inbox differs without the deferred stylesheet:\n${withoutDeferred[differing]}\n${withDeferred[differing]}`);
  assert.ok(await full.evaluate(() => document.querySelector('link[href="/assets/vendor/dsfr/dsfr.deferred.min.css"]').sheet.cssRules.length > 100));
  // The display settings' pictures, left out of the first render, are asked for with the rest.
  assert.equal(await full.evaluate(() => document.querySelectorAll('#display-settings use:not([href])').length), 0);

  // A need: its weight sliders are DSFR's small ranges, styled by the deferred stylesheet only.
  const rangeLooks = [];
  for (const page of [bare, full]) {
    await page.locator('main table tbody tr a.need-link').first().click();
    await page.locator('.fr-range').first().waitFor();
    rangeLooks.push(await page.locator('.fr-range').first().evaluate((node) => {
      const style = getComputedStyle(node);
      return { thumb: style.getPropertyValue('--thumb-size').trim(), display: style.display, position: style.position };
    }));
  }
  assert.deepEqual(rangeLooks[1], { thumb: '1rem', display: 'flex', position: 'relative' });
  assert.deepEqual(rangeLooks[0], { thumb: '', display: 'block', position: 'static' });
  await audit(full, 'a need, with DSFR\'s deferred stylesheet');
  await bare.close();
  await full.close();
});

test('opened with a key in the tab, the inbox asks its API once each, before app.js is even in (early.js)', async () => {
  const page = await watchedPage(browser, problems);
  await signInWith(page, server.base, server.key);
  await page.locator('main table tbody tr').first().waitFor();
  const inboxCalls = ['/v1/themes', '/v1/needs?limit=200&offset=0', '/v1/reports/overdue'];
  const events = [];
  let allAsked;
  const asked = new Promise((resolve) => { allAsked = resolve; });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/v1/')) return;
    events.push(`${url.pathname}${url.search}`);
    if (inboxCalls.every((call) => events.includes(call))) allAsked();
  });
  // app.js is held until the three calls are seen (or 10 s, when early.js did not make them).
  await page.route('**/assets/app.js', async (route) => {
    await Promise.race([asked, new Promise((resolve) => { setTimeout(resolve, 10000); })]);
    events.push('app.js');
    await route.continue();
  });
  await page.reload();
  await page.locator('main table tbody tr').first().waitFor();
  assert.deepEqual(events.slice(0, 3).sort(), [...inboxCalls].sort());
  assert.deepEqual(events.slice(3), ['app.js'], 'asked again once app.js ran, or something else asked first');
  await page.close();
});
