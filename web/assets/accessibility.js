// « Déclaration d'accessibilité »: the page's RGAA accessibility statement (#/accessibilite),
// readable without signing in, as the RGAA requires of every page's footer link.
import { h, fill } from './dom.js';

export function renderAccessibility(main) {
  fill(main,
    h('div', { class: 'page-head' }, h('h1', {}, "Déclaration d'accessibilité")),
    h('p', {}, 'Rédaction en cours.'));
}
