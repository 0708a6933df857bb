// What the inbox costs a browser: bytes of the page's own files by kind (as sent, and decoded)
// and the time to its first render, measured in Debian's headless Chromium against a real
// `expectmatch serve` on the bundled sample. A measurement, not a test (docs/accessibility.md):
//   node tests/web/measure.mjs [BINARY] [RUNS]     (defaults: build/app/expectmatch, 15)
// Each run is a new tab with the HTTP cache turned off (nothing cached), signed in with the DAECT key already in
// the tab's session storage, as after a reload. "First contentful paint" is the browser's own
// (the header); "inbox rendered" is when the first row of the needs table is in the document,
// seen by a MutationObserver installed before the page's scripts run. Also printed, the medians
// of the phases in between: DSFR's render-blocking stylesheet received, the document parsed
// (DOMContentLoaded), the inbox's API calls sent and answered (the first sent, the last answered).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const binary = process.argv[2] || path.join(here, '..', '..', 'build', 'app', 'expectmatch');
const runs = Number(process.argv[3] || 15);

function kindOf(url) {
  const file = new URL(url).pathname;
  if (file.endsWith('.css')) return 'css';
  if (file.endsWith('.js')) return 'js';
  if (file.endsWith('.woff2')) return 'font';
  if (file.endsWith('.svg') || file.endsWith('.png')) return 'image';
  if (file.startsWith('/v1/')) return 'api';
  return 'html';
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
};

const server = await startServer(binary);
const browser = await launchBrowser();
const fcp = [];
const inbox = [];
const phases = { 'stylesheet received': [], 'document parsed': [], 'API asked': [], 'API answered': [] };
let weights = null;
try {
  for (let run = 0; run < runs; run += 1) {
    // A new tab of the same profile; the HTTP cache is turned off below, and the key is set
    // in the tab's own session storage.
    const page = await browser.context.newPage();
    await page.addInitScript(([key]) => {
      sessionStorage.setItem('expectmatch.key', key);
      sessionStorage.setItem('expectmatch.role', 'daect');
      window.__inboxRendered = null;
      new MutationObserver((_, observer) => {
        if (document.querySelector('main table tbody tr')) {
          window.__inboxRendered = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }, [server.key]);
    const client = await page.context().newCDPSession(page);
    await client.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(`${server.base}/`);
    await page.waitForFunction(() => window.__inboxRendered !== null, null, { timeout: 30000 });
    await page.waitForLoadState('load');
    const result = await page.evaluate(() => ({
      fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
      inbox: window.__inboxRendered,
      stylesheet: performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/assets/vendor/dsfr/dsfr.min.css'))?.responseEnd,
      parsed: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
      api: performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname.startsWith('/v1/'))
        .map((entry) => [entry.startTime, entry.responseEnd]),
      resources: [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
        .map((entry) => ({ url: entry.name, transfer: entry.transferSize, encoded: entry.encodedBodySize, decoded: entry.decodedBodySize })),
    }));
    fcp.push(result.fcp);
    inbox.push(result.inbox);
    phases['stylesheet received'].push(result.stylesheet);
    phases['document parsed'].push(result.parsed);
    phases['API asked'].push(Math.min(...result.api.map(([start]) => start)));
    phases['API answered'].push(Math.max(...result.api.map(([, end]) => end)));
    if (run === 0) {
      weights = {};
      for (const entry of result.resources) {
        const kind = kindOf(entry.url);
        weights[kind] = weights[kind] || { files: 0, sent: 0, decoded: 0 };
        weights[kind].files += 1;
        weights[kind].sent += entry.encoded;
        weights[kind].decoded += entry.decoded;
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
console.log('What the inbox loads (first run; bodies, without HTTP headers):');
console.log('kind   files  sent (compressed)  decoded');
let sent = 0;
let decoded = 0;
for (const [kind, w] of Object.entries(weights)) {
  console.log(`${kind.padEnd(6)} ${String(w.files).padStart(5)}  ${kB(w.sent).padStart(17)}  ${kB(w.decoded).padStart(9)}`);
  if (kind !== 'api') {
    sent += w.sent;
    decoded += w.decoded;
  }
}
console.log(`page's own files (all but api): ${kB(sent)} sent, ${kB(decoded)} decoded`);
console.log(`${runs} cold loads: first contentful paint median ${median(fcp).toFixed(0)} ms (p90 ${percentile(fcp, 0.9).toFixed(0)} ms); inbox rendered median ${median(inbox).toFixed(0)} ms (p90 ${percentile(inbox, 0.9).toFixed(0)} ms)`);
console.log(`phases (medians): ${Object.entries(phases).map(([name, values]) => `${name} ${median(values).toFixed(0)} ms`).join(', ')}`);
