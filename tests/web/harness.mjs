// What the browser tests stand on: a real `expectmatch serve` on an ephemeral port with a
// fresh database, and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
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
  return page;
}

// Signs in on the page at `base` with `key` and waits for the role badge.
export async function signInWith(page, base, key) {
  await page.goto(`${base}/`);
  await page.getByLabel("Clé d'API").fill(key);
  await page.keyboard.press('Enter');
  await page.locator('.role-badge').waitFor();
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
