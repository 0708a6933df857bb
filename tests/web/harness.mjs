// What the browser tests stand on: a real `expectmatch serve` on an ephemeral port with a
// fresh database, and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.EXPECTMATCH_CHROMIUM || '/usr/bin/chromium';
// The flags this machine's closed network needs (no background connections, no updates).
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// Starts `expectmatch serve --port 0 --db <fresh dir>/expectmatch.db` and waits (at most 30 s)
// for its "listening on HOST:PORT" line. The DAECT bootstrap key is read from daect.key beside
// the database.
export async function startServer(binary) {
  const dir = mkdtempSync(path.join(tmpdir(), 'expectmatch-web-'));
  const db = path.join(dir, 'expectmatch.db');
  const child = spawn(binary, ['serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`expectmatch serve did not start in 30 s:\n${stderr}`)), 30000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^listening on (\S+):(\d+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}:${match[2]}`);
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${binary}: ${error.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`expectmatch serve exited (${code}):\n${stderr}`));
    });
  });
  const keyFile = path.join(dir, 'daect.key');
  const key = readFileSync(keyFile, 'utf8').trim();
  return {
    base, key, db, dir, binary,
    stderr: () => stderr,
    // A new key of another role, made by `expectmatch keys create` on the same database. The
    // second argument is an embassy's country, or a collectivité's id for that role.
    createKey(role, scope) {
      const args = ['keys', 'create', '--role', role, '--db', db];
      if (scope) args.push(role === 'collectivite' ? '--collectivite' : '--country', scope);
      return execFileSync(binary, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop().trim();
    },
    async api(method, route, body, apiKey = key) {
      const response = await fetch(base + route, {
        method,
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A new tab whose script errors, and console errors other than the 4xx answers the tests
// provoke, are pushed onto `problems` (each suite asserts it empty at the end).
export async function watchedPage(browser, problems, viewport) {
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of (4\d\d)/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  // Every file of the page itself (the page, its scripts, styles, fonts, icons) must be served.
  page.on('response', (response) => {
    const url = new URL(response.url());
    if ((url.pathname === '/' || url.pathname.startsWith('/assets/')) && response.status() >= 400) {
      problems.push(`asset ${url.pathname} answered ${response.status()}`);
    }
  });
  return page;
}

// Signs in on the page at `base` with `key` and waits for the role badge.
export async function signInWith(page, base, key) {
  await page.goto(`${base}/`);
  await page.getByLabel("Clé d'API").fill(key);
  await page.keyboard.press('Enter');
  await page.locator('.role-badge').first().waitFor({ state: 'attached' });
}

// axe-core, the accessibility engine, run in the page as it is (script injected through the
// debugging protocol, which the page's Content-Security-Policy does not govern).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// The WCAG 2.1 A and AA rules: the RGAA 4.1 criteria that a machine can check map onto them.
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Rules turned off, each with its reason (the accessibility statement lists them too): none.
const AXE_DISABLED = {};

// Runs axe-core on the page's current state (`screen` names it in the messages) and fails the
// test on any violation of impact "serious" or "critical"; lesser ones are reported on stderr.
// With EXPECTMATCH_AXE_LOG set, appends one JSON line per audit to that file (the screens the
// accessibility statement lists).
export async function audit(page, screen) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async ([tags, disabled]) => {
    const rules = Object.fromEntries(Object.keys(disabled).map((id) => [id, { enabled: false }]));
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${n.any[0] ? ` [${n.any[0].message}]` : ''}`) }));
  }, [AXE_TAGS, AXE_DISABLED]);
  if (process.env.EXPECTMATCH_AXE_LOG) {
    appendFileSync(process.env.EXPECTMATCH_AXE_LOG, JSON.stringify({ screen, violations }) + '\n');
  }
  const minor = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  for (const v of minor) process.stderr.write(`axe (${screen}): ${v.impact} ${v.id}: ${v.help} ${v.nodes.join(', ')}\n`);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    throw new Error(`axe-core on « ${screen} »: ${blocking.map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`).join('; ')}`);
  }
  return violations;
}

// The page's day as YYYY-MM-DD: the browser runs in Europe/Paris (launchBrowser), and between
// midnight in Paris and midnight UTC that is not UTC's day.
export function parisDay(offsetDays = 0) {
  const now = new Date(Date.now() + offsetDays * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

// `day` (YYYY-MM-DD) plus `days` calendar days.
export function plusDays(day, days) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// Headless Chromium with a fresh profile directory, removed on close.
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-web-deps.sh`);
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'expectmatch-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 900 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
