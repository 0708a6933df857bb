// What the page starts before the rest of it is ready (a classic script at the top of <head>,
// run as soon as it arrives, while the stylesheets and the modules are still on their way):
// - the display theme kept by the display settings (localStorage "scheme", as DSFR's script
//   reads it), so that a dark page is dark from its first paint;
// - the inbox's three API calls when the inbox is the screen being opened with a key already in
//   the tab: api.js takes their answers (window.expectmatchTakeEarly) instead of asking again,
//   so the rows wait
//   for the module scripts, not for the module scripts and then the network;
// - the rest of DSFR: the stylesheet of the components the inbox does not use
//   (dsfr.deferred.min.css), DSFR's script (the header menu, the dialogs, the sliders, the
//   display settings) and the display settings' pictures; once the inbox is drawn when the
//   inbox is the first screen, at once otherwise; then, when the page is idle, the French locale
//   data of Intl (see warmLocaleData).
// Nothing here is needed for the page to work: without it, api.js asks the server as before.
// (A classic script: its names are kept out of the global scope, but for the one api.js reads.)

(() => {
  'use strict';

  const KEY_STORAGE = 'expectmatch.key';
  const ROLE_STORAGE = 'expectmatch.role';
  // An answer taken later than this after the page was opened is asked for again.
  const EARLY_TTL_MS = 10000;

  // The colour theme, as DSFR's scheme script sets it (it does the same again once loaded).
  function applyScheme() {
    const root = document.documentElement;
    let scheme = '';
    try {
      scheme = localStorage.getItem('scheme') || '';
    } catch {
      scheme = '';
    }
    if (!['light', 'dark', 'system'].includes(scheme)) scheme = root.getAttribute('data-fr-scheme') || 'system';
    const dark = scheme === 'dark' || (scheme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
    root.setAttribute('data-fr-theme', dark ? 'dark' : 'light');
    if (dark) root.style.colorScheme = 'dark';
  }
  applyScheme();

  // The first Intl object of a page loads the French locale data: 35 to 140 ms of main thread in
  // Chromium. The inbox needs none (format.js writes its numbers and country names without
  // Intl): done once the page is idle after the first screen, rather than when a later screen
  // first shows a date, a score or a language. (Done here, at the top of <head>, it held the
  // parser and the first frame for as long.)
  function warmLocaleData() {
    try {
      new Intl.DisplayNames(['fr-FR'], { type: 'region' }).of('FR');
      new Intl.NumberFormat('fr-FR').format(1);
      'a'.localeCompare('b', 'fr');
    } catch {
      // Nothing to warm.
    }
  }

  // GET path -> Promise of { status, text }, for the key `key`.
  const early = new Map();

  function prefetch(key, path) {
    early.set(path, {
      key,
      answer: fetch(path, { headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' } })
        .then(async (response) => ({ status: response.status, text: await response.text() })),
    });
  }

  // The inbox without filters (#/, #/?page=2, #/?q=…): the calls renderInbox makes first.
  // Whether they were made (the inbox is the screen being opened).
  function prefetchInbox() {
    let key = null;
    let role = null;
    try {
      key = sessionStorage.getItem(KEY_STORAGE);
      role = sessionStorage.getItem(ROLE_STORAGE);
    } catch {
      return false;
    }
    if (!key || !['daect', 'analyst', 'embassy'].includes(role)) return false;
    const [path, query] = (location.hash || '#/').slice(1).split('?');
    if (path !== '/' && path !== '') return false;
    const params = new URLSearchParams(query || '');
    if (['statut', 'pays', 'theme'].some((name) => params.get(name))) return false;
    prefetch(key, '/v1/themes');
    prefetch(key, `/v1/needs?${new URLSearchParams({ limit: '200', offset: '0' })}`);
    if (role !== 'embassy') prefetch(key, '/v1/reports/overdue');
    return true;
  }
  const inboxFirst = prefetchInbox();

  // The answer fetched early for GET `path` with `key`, once (then forgotten), or null: the
  // caller asks the server itself. A network failure is also left to the caller to meet again.
  function takeEarly(key, path) {
    const entry = early.get(path);
    if (!entry) return null;
    early.delete(path);
    if (entry.key !== key || performance.now() > EARLY_TTL_MS) return null;
    return entry.answer.catch(() => null);
  }
  // (For api.js: this is a classic script, so that it runs the moment it arrives.)
  window.expectmatchTakeEarly = takeEarly;

  // The rest of DSFR, once the first screen is drawn: <main> is no longer just the paragraph
  // saying that it loads (a section may still load within the screen).
  let restLoaded = false;
  function loadRest() {
    if (restLoaded) return;
    restLoaded = true;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = '/assets/vendor/dsfr/dsfr.deferred.min.css';
    // Right after DSFR's first stylesheet: DSFR's order, and the page's own styles after both.
    const critical = document.querySelector('link[href="/assets/vendor/dsfr/dsfr.min.css"]');
    if (critical) critical.after(link); else document.head.append(link);
    import('/assets/vendor/dsfr/dsfr.module.min.js');
    // The display settings' pictures (three SVG documents to parse), for a dialog still closed.
    for (const use of document.querySelectorAll('use[data-href]')) use.setAttribute('href', use.dataset.href);
    if ('requestIdleCallback' in window) requestIdleCallback(warmLocaleData, { timeout: 3000 });
    else setTimeout(warmLocaleData, 1000);
  }

  function firstScreenDrawn() {
    const main = document.getElementById('main');
    if (main === null) return false;
    const shown = [...main.children].filter((node) => node.localName !== 'noscript');
    return shown.length > 0 && !(shown.length === 1 && shown[0].classList.contains('loading'));
  }

  function watchFirstScreen() {
    if (firstScreenDrawn()) {
      loadRest();
      return;
    }
    const observer = new MutationObserver(() => {
      if (!firstScreenDrawn()) return;
      observer.disconnect();
      // After the frame that shows the screen.
      requestAnimationFrame(() => setTimeout(loadRest, 0));
    });
    observer.observe(document.getElementById('main'), { childList: true, subtree: true });
    // Whatever happens to the first screen, the rest comes within a few seconds.
    setTimeout(loadRest, 3000);
  }

  // Another first screen (a need, the sign-in form…) may use the deferred stylesheet's components:
  // it comes at once, before the screen's data does; nothing here races for time.
  const start = inboxFirst ? watchFirstScreen : loadRest;
  // (The links and the dialog it changes are in the document once it is parsed.)
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start, { once: true });
  } else {
    start();
  }
})();
