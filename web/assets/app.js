// The DAECT page: sign-in, navigation and the screens (hash routes):
//   #/                 needs inbox              (inbox.js)
//   #/besoin/<id>      a need, its shortlist, decision and mission (need.js)
//   #/lot              batch assignment          (batch.js)
//   #/nouveau          submitting a need         (new-need.js)
//   #/propositions     DAECT's follow-up of proposals (proposals.js)
//   #/capitalisation   search over mission reports (reports.js)
//   #/couverture       where labels are missing: map, countries, régions (coverage.js)
//   #/candidatures     label applications, #/candidature/<id> one, #/labels expiring labels
//                      (candidatures.js, application-form.js)
//   #/accessibilite    the accessibility statement, also without signing in (accessibility.js)
// A collectivité's key sees only its own space (authority.js): proposals made to it, its
// missions and labels; none of DAECT's screens.
// The API key lives in sessionStorage only: closing the tab signs out.
import { Api, ApiError } from './api.js';
import { h, fill } from './dom.js';
import { button, badge, errorBox, field } from './ui.js';
import { ROLE_LABELS } from './format.js';
import { renderInbox } from './inbox.js';
// Every other screen's module is loaded when the screen is first opened (screens.js).
import { isCandidatureRoute, loadScreen } from './screens.js';

const KEY_STORAGE = 'expectmatch.key';
const ROLE_STORAGE = 'expectmatch.role';
const COLLECTIVITE_STORAGE = 'expectmatch.collectivite';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const headerTools = document.getElementById('header-tools');
const banner = document.getElementById('banner');
const toastNode = document.getElementById('toast');

// What a role may do on the page (the server enforces the same).
export function can(role, action) {
  const rules = {
    readOverdue: ['daect', 'analyst'],
    readProfiles: ['daect', 'analyst'],
    saveProfile: ['daect', 'analyst'],
    readCollectivites: ['daect', 'analyst'],
    decide: ['daect'],
    recordMission: ['daect'],
    changeStatus: ['daect'],
    batch: ['daect'],
    submitNeed: ['daect', 'embassy'],
    confirmThemes: ['daect'],
    propose: ['daect'],
    readProposals: ['daect', 'analyst'],
    searchReports: ['daect', 'analyst'],
    readReport: ['daect', 'analyst'],
    rateReport: ['daect'],
    readCoverage: ['daect', 'analyst'],
    readApplications: ['daect', 'analyst'],
    fileApplication: ['daect'],
    reviewApplication: ['daect'],
    readExpiringLabels: ['daect', 'analyst'],
  };
  return (rules[action] || []).includes(role);
}

const session = {
  api: null,
  role: null,
  country: null, // an embassy key's country, once asked (GET /v1/whoami)
  collectivite: null, // a collectivité key's authority (GET /v1/whoami)
  signOut() {
    sessionStorage.removeItem(KEY_STORAGE);
    sessionStorage.removeItem(ROLE_STORAGE);
    sessionStorage.removeItem(COLLECTIVITE_STORAGE);
    session.api = null;
    session.role = null;
    session.country = null;
    session.collectivite = null;
    location.hash = '#/';
    route();
  },
  can(action) { return can(session.role, action); },
  toast,
  // An error shown where it happened, in French, with the fields the API named.
  errorBox(error, context) {
    if (error instanceof ApiError && error.status === 401 && session.api) {
      // The key was revoked while signed in: back to the sign-in form.
      setTimeout(() => session.signOut(), 0);
    }
    return errorBox(error, context);
  },
};

export { errorBox };

function toast(message) {
  toastNode.textContent = message;
  toastNode.classList.add('visible');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => toastNode.classList.remove('visible'), 4000);
}

function showBanner(message) {
  banner.hidden = false;
  fill(banner, h('div', { class: 'fr-container' },
    h('div', { class: 'fr-notice__body' },
      h('p', { class: 'fr-notice__title' }, message),
      h('button', { type: 'button', class: 'fr-btn--close fr-btn', title: 'Masquer le message', onclick: () => { banner.hidden = true; } }, 'Masquer le message'))));
}

// The header's tools: the key's role and « Se déconnecter » beside « Paramètres d'affichage ».
// On a narrow screen DSFR shows them in the menu instead, from a copy in .fr-header__menu-links
// (ids suffixed "-mobile", as DSFR's own copy does): plain markup, no listener to lose, which is
// why signing out is a link (#/deconnexion) rather than a button.
const menuLinks = document.querySelector('.fr-header__menu-links');
function renderHeaderTools() {
  for (const node of headerTools.querySelectorAll('.session-tool')) node.remove();
  if (session.api) {
    headerTools.prepend(
      h('li', { class: 'session-tool who' }, badge(ROLE_LABELS[session.role] || session.role, 'info', { class: 'role-badge' })),
      h('li', { class: 'session-tool' }, h('a', { class: 'fr-btn fr-icon-logout-box-r-line fr-btn--icon-left sign-out', href: '#/deconnexion' }, 'Se déconnecter')));
  }
  const copy = headerTools.cloneNode(true);
  copy.id = `${headerTools.id}-mobile`;
  for (const node of copy.querySelectorAll('[id]')) node.id = `${node.id}-mobile`;
  fill(menuLinks, copy);
}

function renderNav() {
  renderHeaderTools();
  if (!session.api) {
    fill(nav);
    return;
  }
  const current = location.hash || '#/';
  const link = (href, label) => h('li', { class: 'fr-nav__item' }, h('a', {
    class: 'fr-nav__link', href,
    'aria-current': (current === href || (href === '#/' && current.startsWith('#/?'))) ? 'page' : null,
  }, label));
  const items = session.role === 'collectivite'
    ? [link('#/', 'Mon espace collectivité'), link('#/candidatures/nouvelle', 'Demander un label')]
    : [
      link('#/', 'Besoins'),
      session.can('submitNeed') && link('#/nouveau', 'Nouveau besoin'),
      session.can('batch') && link('#/lot', 'Affectation par lot'),
      session.can('readProposals') && link('#/propositions', 'Propositions'),
      session.can('searchReports') && link('#/capitalisation', 'Capitalisation'),
      session.can('readCoverage') && link('#/couverture', 'Couverture'),
      session.can('readApplications') && link('#/candidatures', 'Candidatures'),
      session.can('readExpiringLabels') && link('#/labels', 'Labels à renouveler'),
    ];
  fill(nav, h('ul', { class: 'fr-nav__list' }, items));
}

function renderSignIn(message) {
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const status = h('div', { 'aria-live': 'polite' });
  const submit = button('Se connecter', { type: 'submit' });
  const form = h('form', { class: 'card signin', onsubmit: async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    submit.disabled = true;
    fill(status, h('p', { class: 'loading' }, 'Vérification de la clé…'));
    const api = new Api(key);
    try {
      const me = await api.whoami();
      sessionStorage.setItem(KEY_STORAGE, key);
      sessionStorage.setItem(ROLE_STORAGE, me.role);
      if (me.collectivite) sessionStorage.setItem(COLLECTIVITE_STORAGE, me.collectivite);
      session.api = api;
      session.role = me.role;
      session.collectivite = me.collectivite || null;
      route();
    } catch (error) {
      fill(status, errorBox(error, 'Connexion impossible'));
      submit.disabled = false;
      input.focus();
    }
  } },
  h('h1', {}, 'Connexion'),
  h('p', {}, "Saisissez votre clé d'API. Elle n'est conservée que dans cet onglet et disparaît à sa fermeture."),
  message && h('p', { class: 'notice' }, message),
  field("Clé d'API", input, { hint: "Au premier lancement, « make serve » affiche la clé DAECT et l'enregistre dans var/daect.key." }),
  submit,
  status);
  fill(main, form);
  input.focus();
}

let routeGeneration = 0;

async function route() {
  const generation = ++routeGeneration;
  renderNav();
  const stillCurrent = () => generation === routeGeneration;
  // Screen `name`'s module (screens.js), then `render` with it; nothing more when it is not
  // loaded (<main> says why) or another screen was opened meanwhile.
  const show = async (name, render) => {
    const screen = await loadScreen(name, main, stillCurrent);
    if (screen) await render(screen);
  };
  // The accessibility statement is public: the footer links to it from every screen.
  if ((location.hash || '').startsWith('#/accessibilite')) {
    await show('accessibility', (screen) => screen.renderAccessibility(main));
    return;
  }
  if (location.hash === '#/deconnexion') {
    session.signOut();
    return;
  }
  if (!session.api) {
    renderSignIn();
    return;
  }
  const hash = location.hash || '#/';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  try {
    if (session.role === 'collectivite') {
      // An authority's key has one screen: its own space, whatever the address says.
      // (But for its label applications: the form and an application's page.)
      if (isCandidatureRoute(path)) {
        const screen = await loadScreen('candidatures', main, stillCurrent);
        if (!screen || await screen.renderCandidatureRoute(main, session, path, params, stillCurrent)) return;
      }
      await show('authority', (screen) => screen.renderAuthority(main, session, stillCurrent));
      return;
    }
    const needMatch = /^\/besoin\/(.+)$/.exec(path);
    if (needMatch) {
      await show('need', (screen) => screen.renderNeed(main, session, decodeURIComponent(needMatch[1]), stillCurrent));
    } else if (path === '/lot') {
      if (!session.can('batch')) {
        fill(main, errorBox(new Error("L'affectation par lot est réservée à la DAECT.")));
      } else {
        await show('batch', (screen) => screen.renderBatch(main, session, stillCurrent));
      }
    } else if (path === '/propositions') {
      if (!session.can('readProposals')) {
        fill(main, errorBox(new Error('Le suivi des propositions est réservé à la DAECT.')));
      } else {
        await show('proposals', (screen) => screen.renderProposals(main, session, params, stillCurrent));
      }
    } else if (path === '/capitalisation') {
      if (!session.can('searchReports')) {
        fill(main, errorBox(new Error('La capitalisation est réservée à la DAECT et aux analystes.')));
      } else {
        await show('reports', (screen) => screen.renderReports(main, session, params, stillCurrent));
      }
    } else if (path === '/couverture') {
      if (!session.can('readCoverage')) {
        fill(main, errorBox(new Error('La couverture est réservée à la DAECT et aux analystes.')));
      } else {
        await show('coverage', (screen) => screen.renderCoverage(main, session, params, stillCurrent));
      }
    } else if (path === '/nouveau') {
      if (!session.can('submitNeed')) {
        fill(main, errorBox(new Error('La saisie de besoins est réservée à la DAECT et aux ambassades.')));
      } else {
        await show('newNeed', (screen) => screen.renderNewNeed(main, session, stillCurrent));
      }
    } else if (isCandidatureRoute(path)) {
      await show('candidatures', (screen) => screen.renderCandidatureRoute(main, session, path, params, stillCurrent));
    } else {
      await renderInbox(main, session, params, stillCurrent);
    }
  } catch (error) {
    if (stillCurrent()) fill(main, session.errorBox(error, 'La page ne peut pas être affichée'), h('p', {}, h('a', { href: '#/' }, 'Retour aux besoins')));
  }
}

// Never a blank page: whatever escapes is shown in French.
window.addEventListener('error', (event) => showBanner(`Erreur inattendue de la page : ${event.message}`));
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason;
  showBanner(reason && reason.message ? reason.message : 'Erreur inattendue de la page.');
});
window.addEventListener('hashchange', () => {
  route();
  main.focus({ preventScroll: true });
});

const storedKey = sessionStorage.getItem(KEY_STORAGE);
if (storedKey) {
  session.api = new Api(storedKey);
  session.role = sessionStorage.getItem(ROLE_STORAGE);
  session.collectivite = sessionStorage.getItem(COLLECTIVITE_STORAGE);
  if (!session.role || (session.role === 'collectivite' && !session.collectivite)) {
    session.api.whoami().then((me) => {
      session.role = me.role;
      session.collectivite = me.collectivite || null;
      sessionStorage.setItem(ROLE_STORAGE, me.role);
      if (me.collectivite) sessionStorage.setItem(COLLECTIVITE_STORAGE, me.collectivite);
      route();
    }, () => session.signOut());
  } else {
    route();
  }
} else {
  route();
}

// The skip links (« Aller au contenu », « au menu », « au pied de page ») move the focus without
// touching the address: their "#main" would otherwise be read by the router as a screen and
// leave the one being read.
document.querySelector('.fr-skiplinks')?.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="#"]');
  const target = link && document.getElementById(link.getAttribute('href').slice(1));
  if (!target) return;
  event.preventDefault();
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
  target.scrollIntoView({ block: 'start' });
});
