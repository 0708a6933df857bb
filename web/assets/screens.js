// The screens other than the inbox, each loaded (import()) the first time it is opened rather
// than with app.js: the inbox's first render then waits for the inbox's own modules only
// (index.html preloads exactly those; tests/web/page.mjs checks both).
import { h, fill } from './dom.js';
import { errorBox } from './ui.js';

const MODULES = {
  accessibility: './accessibility.js',
  authority: './authority.js',
  batch: './batch.js',
  candidatures: './candidatures.js',
  coverage: './coverage.js',
  need: './need.js',
  newNeed: './new-need.js',
  proposals: './proposals.js',
  reports: './reports.js',
};

// name -> the module, once in.
const loaded = new Map();

// The module of screen `name`. While it loads, <main> says so; if it cannot be loaded, <main>
// says that instead and the answer is null, as it is when another screen was opened meanwhile
// (stillCurrent() false: nothing is drawn).
export async function loadScreen(name, main, stillCurrent) {
  if (loaded.has(name)) return loaded.get(name);
  fill(main, h('p', { class: 'loading' }, 'Chargement de la page…'));
  try {
    const module = await import(MODULES[name]);
    loaded.set(name, module);
    return stillCurrent() ? module : null;
  } catch {
    if (stillCurrent()) {
      fill(main,
        errorBox(new Error("Cet écran n'a pas pu être chargé : vérifiez la connexion au serveur, puis rechargez la page."),
          'La page ne peut pas être affichée'),
        h('p', {}, h('a', { href: '#/' }, 'Retour aux besoins')));
    }
    return null;
  }
}

// Whether `path` is one of candidatures.js's screens (label applications, expiring labels).
export function isCandidatureRoute(path) {
  return path === '/candidatures' || path === '/candidatures/nouvelle' || /^\/candidature\/.+$/.test(path) || path === '/labels';
}
