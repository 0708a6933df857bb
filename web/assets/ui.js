// The State design system's components (DSFR, web/assets/vendor/dsfr/), built with h():
// every screen takes its buttons, fields, alerts, badges, tables and pagination from here, so
// the markup DSFR expects (and that its accessibility rests on) is written once.
import { h, fill } from './dom.js';

// DSFR's classes for a button or a link drawn as one (see button()).
function buttonClasses({ kind = 'primary', size, icon, iconOnly = false, extra }) {
  const classes = ['fr-btn'];
  if (kind !== 'primary') classes.push(`fr-btn--${kind}`);
  if (size) classes.push(`fr-btn--${size}`);
  if (icon) classes.push(`fr-icon-${icon}`, iconOnly ? null : 'fr-btn--icon-left');
  if (extra) classes.push(extra);
  return classes.filter(Boolean).join(' ');
}

// A DSFR button. kind: 'primary' (default), 'secondary', 'tertiary', 'tertiary-no-outline';
// size: 'sm' | 'lg'; icon: a DSFR icon name ('add-line'), drawn left of the label. Other
// attributes (onclick, disabled, aria-*, data-*, type, class) go to the element.
export function button(label, { kind, size, icon, iconOnly = false, class: extra, type = 'button', ...attributes } = {}) {
  return h('button', { type, class: buttonClasses({ kind, size, icon, iconOnly, extra }), title: iconOnly ? label : null, ...attributes }, label);
}

// A link styled as a DSFR button (same options as button()).
export function buttonLink(label, href, { kind, size, icon, class: extra, ...attributes } = {}) {
  return h('a', { href, class: buttonClasses({ kind, size, icon, extra }), ...attributes }, label);
}

// A group of buttons side by side (wraps on narrow screens). The group says where icons go:
// without it DSFR draws a grouped icon button as its icon alone, its label hidden.
export function buttonsGroup(...buttons) {
  return h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-btns-group--icon-left' },
    buttons.flat().filter(Boolean).map((node) => h('li', {}, node)));
}

// A labelled form control: `control` is an <input>, <select> or <textarea> with an id; it gets
// DSFR's class and is wrapped with its label, an optional hint and the slot where the API's
// problem for this field is shown (see errorSlot). Returns the group; group.error is the slot.
export function field(label, control, { hint, pointer, class: extra } = {}) {
  const tag = control.tagName.toLowerCase();
  const isSelect = tag === 'select';
  control.classList.add(isSelect ? 'fr-select' : 'fr-input');
  const hintNode = hint && h('span', { class: 'fr-hint-text', id: `${control.id}-hint` }, hint);
  if (hintNode) describe(control, hintNode.id);
  const group = h('div', { class: [isSelect ? 'fr-select-group' : 'fr-input-group', extra].filter(Boolean).join(' ') },
    h('label', { class: 'fr-label', for: control.id }, label, hintNode && ' ', hintNode),
    control);
  group.error = errorSlot(control, pointer === undefined ? null : pointer);
  group.append(group.error.slot);
  return group;
}

// A checkbox with its label, as DSFR draws it.
export function checkbox(label, input, { hint } = {}) {
  input.type = 'checkbox';
  return h('div', { class: 'fr-checkbox-group fr-checkbox-group--sm' },
    input,
    h('label', { class: 'fr-label', for: input.id }, label, hint && h('span', { class: 'fr-hint-text' }, hint)));
}

// A radio button with its label.
export function radio(label, input, { hint } = {}) {
  input.type = 'radio';
  return h('div', { class: 'fr-radio-group fr-radio-group--sm' },
    input,
    h('label', { class: 'fr-label', for: input.id }, label, hint && h('span', { class: 'fr-hint-text' }, hint)));
}

function describe(control, id) {
  const described = control.getAttribute('aria-describedby');
  const ids = new Set((described || '').split(' ').filter(Boolean));
  ids.add(id);
  control.setAttribute('aria-describedby', [...ids].join(' '));
}

// Where the problem the API reports for one field (problem+json `errors[].pointer`) is shown,
// right under the field, and announced by screen readers (the field is described by it).
// `matches`: the pointer ('/reason'), a RegExp of pointers, or null (only say() writes in it).
// The enclosing DSFR group (input, select, fieldset, upload) turns red while it shows something.
export function errorSlot(control, matches) {
  const test = matches === null || matches === undefined ? () => false
    : typeof matches === 'string' ? (pointer) => pointer === matches : (pointer) => matches.test(pointer);
  const slot = h('p', { class: 'fr-error-text field-error', id: `${control.id}-error`, hidden: true });
  describe(control, slot.id);
  const group = () => control.closest('.fr-input-group, .fr-select-group, .fr-fieldset, .fr-upload-group, .fr-checkbox-group, .fr-radio-group');
  const setError = (on) => {
    const node = group();
    if (node) {
      for (const kind of ['fr-input-group', 'fr-select-group', 'fr-fieldset', 'fr-upload-group', 'fr-checkbox-group', 'fr-radio-group']) {
        if (node.classList.contains(kind)) node.classList.toggle(`${kind}--error`, on);
      }
    }
    if (control.classList.contains('fr-input')) control.classList.toggle('fr-input--error', on);
    if (control.classList.contains('fr-select')) control.classList.toggle('fr-select--error', on);
  };
  return {
    slot,
    clear() {
      slot.hidden = true;
      slot.textContent = '';
      control.removeAttribute('aria-invalid');
      setError(false);
    },
    // Writes `message` (a French sentence of the page's own) in the slot.
    say(message) {
      slot.textContent = message;
      slot.hidden = false;
      control.setAttribute('aria-invalid', 'true');
      setError(true);
    },
    // Shows the API's problems for this field; false when it named none of them.
    show(error) {
      const mine = ((error && error.fields) || []).filter((entry) => entry.pointer !== undefined && test(entry.pointer || ''));
      if (mine.length === 0) return false;
      this.say(mine.map((entry) => `${entry.label} : ${entry.message}`).join(' ; '));
      return true;
    },
  };
}

// A DSFR alert. kind: 'error', 'success', 'info', 'warning'. role="alert" for errors (read at
// once), none for the others (they sit in an aria-live region when they report an action).
export function alert(kind, title, ...body) {
  return h('div', { class: `fr-alert fr-alert--${kind} fr-alert--sm`, role: kind === 'error' ? 'alert' : null },
    title && h('h3', { class: 'fr-alert__title' }, title),
    body);
}

// A status badge (DSFR's badge is its component for statuses). kind: 'success', 'error',
// 'info', 'warning', 'new', or null (grey).
export function badge(label, kind, { class: extra } = {}) {
  const classes = ['fr-badge', 'fr-badge--sm'];
  if (kind) classes.push(`fr-badge--${kind}`, 'fr-badge--no-icon');
  if (extra) classes.push(extra);
  return h('p', { class: classes.join(' ') }, label);
}

// A DSFR tag (a theme, a keyword). The list form groups them.
export function tag(label, attributes = {}) {
  return h('p', { class: 'fr-tag fr-tag--sm', ...attributes }, label);
}
export function tagsGroup(labels) {
  return h('ul', { class: 'fr-tags-group' }, labels.map((label) => h('li', {}, label instanceof Node ? label : tag(label))));
}

// A DSFR table: `caption` (shown, or visually hidden with hideCaption), `head` a list of
// column headers (strings or nodes; {label, class}), `rows` a list of <tr>.
export function table(caption, head, rows, { hideCaption = false, class: extra, id } = {}) {
  return h('div', { class: ['fr-table', 'fr-table--sm', extra].filter(Boolean).join(' '), id },
    h('div', { class: 'fr-table__wrapper' },
      h('div', { class: 'fr-table__container' },
        h('div', { class: 'fr-table__content' },
          h('table', {},
            h('caption', { class: hideCaption ? 'fr-sr-only' : null }, caption),
            h('thead', {}, h('tr', {}, head.map((cell) => (cell && cell.label !== undefined
              ? h('th', { scope: 'col', class: cell.class }, cell.label)
              : h('th', { scope: 'col' }, cell))))),
            h('tbody', {}, rows))))));
}

// DSFR pagination: pages numbered from 1; href(page) gives each page's address.
export function pagination(page, pages, href, { label = 'Pagination' } = {}) {
  if (pages <= 1) return null;
  const item = (target, text, extraClass, title) => {
    const disabled = target < 1 || target > pages || target === page;
    return h('li', {}, h('a', {
      class: ['fr-pagination__link', extraClass].filter(Boolean).join(' '),
      href: disabled ? null : href(target),
      'aria-disabled': disabled && extraClass ? 'true' : null,
      role: disabled && extraClass ? 'link' : null,
      'aria-current': target === page && !extraClass ? 'page' : null,
      title,
    }, text));
  };
  const numbers = [];
  const shown = new Set([1, pages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pages));
  let previous = 0;
  for (const n of [...shown].sort((a, b) => a - b)) {
    if (n - previous > 1) numbers.push(h('li', {}, h('span', { class: 'fr-pagination__link fr-displayed-lg' }, '…')));
    numbers.push(item(n, String(n), null, `Page ${n}`));
    previous = n;
  }
  return h('nav', { class: 'fr-pagination', 'aria-label': label },
    h('ul', { class: 'fr-pagination__list' },
      item(1, 'Première page', 'fr-pagination__link--first'),
      item(page - 1, 'Page précédente', 'fr-pagination__link--prev fr-pagination__link--lg-label'),
      numbers,
      item(page + 1, 'Page suivante', 'fr-pagination__link--next fr-pagination__link--lg-label'),
      item(pages, 'Dernière page', 'fr-pagination__link--last')));
}

// An error shown where it happened, in French, with the fields the API named: each field is
// a link to its control when the page has one with a matching error slot.
export function errorBox(error, context) {
  const fields = (error && error.fields) || [];
  return h('div', { class: 'fr-alert fr-alert--error fr-alert--sm error-box', role: 'alert' },
    h('h3', { class: 'fr-alert__title error-title' }, context ? `${context} : ` : '', error && error.message ? error.message : String(error)),
    fields.length > 0 && h('ul', {}, fields.map((entry) => h('li', {}, h('strong', {}, entry.label), ' ', entry.message))),
    error && error.technical && h('p', { class: 'technical' }, `Détail technique (${error.status}) : ${error.technical}`));
}

// Replaces the content of an aria-live region with a DSFR alert announcing `message`.
export function announce(region, kind, message) {
  fill(region, alert(kind, null, h('p', {}, message)));
}
