// Writes web/assets/countries.js: the French name of every ISO 3166-1 country (the codes of
// Debian's iso-codes, /usr/share/iso-codes/json/iso_3166-1.json) as the browser's own
// Intl.DisplayNames gives it, in the browser's French order. Run it again when Chromium's CLDR
// data changes (tests/web/page.mjs then fails on the names or the order):
//   cd tests/web && node gen-countries.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.join(here, '..', '..', 'web', 'assets', 'countries.js');
const codes = JSON.parse(readFileSync('/usr/share/iso-codes/json/iso_3166-1.json', 'utf8'))['3166-1']
  .map((country) => country.alpha_2);

const browser = await launchBrowser();
let pairs;
let major;
try {
  const page = await browser.context.newPage();
  // (A persistent context has no Browser object to ask: the user agent names the version.)
  major = await page.evaluate(() => navigator.userAgent.match(/Chrome\/(\d+)/)[1]);
  pairs = await page.evaluate((list) => {
    const names = new Intl.DisplayNames(['fr-FR'], { type: 'region' });
    return list.map((code) => [code, names.of(code)]).sort((a, b) => a[1].localeCompare(b[1], 'fr'));
  }, codes);
} finally {
  await browser.close();
}

const lines = [];
let line = ' ';
for (const [code, name] of pairs) {
  const item = ` ['${code}', '${name.replace(/'/g, "\\'")}'],`;
  if (line.length + item.length > 100) {
    lines.push(line);
    line = ' ';
  }
  line += item;
}
lines.push(line);
writeFileSync(target, `// The French names of the countries (ISO 3166-1 alpha-2, Debian iso-codes list), as
// Intl.DisplayNames(['fr-FR'], { type: 'region' }) writes them (CLDR, Chromium ${major}), listed in the
// order of localeCompare(…, 'fr'). Here rather than asked to Intl because the first Intl object of
// a page costs 35 to 95 ms of main thread (the locale data), before the inbox could show a row.
// tests/web/page.mjs checks every name and the order against the browser's own Intl.
// Written by tests/web/gen-countries.mjs.
export const COUNTRY_NAMES = [
${lines.join('\n')}
];
`);
console.log(`${pairs.length} countries written to ${target}`);
