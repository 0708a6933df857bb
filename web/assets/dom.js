// Building DOM nodes without innerHTML: text is always text, never markup.
//   h('button', {class: 'primary', onclick: fn}, 'Valider')
// Attributes: `class`, `for`, `aria-*`, `data-*` and the like become attributes; `on*` become
// listeners; `hidden`, `disabled`, `checked`, `value` and `selected` are set as properties.
// Children: nodes, strings, numbers, arrays of them; null, undefined and false are skipped.
const PROPERTIES = new Set(['hidden', 'disabled', 'checked', 'value', 'selected', 'open']);

export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (PROPERTIES.has(name)) {
      node[name] = value;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// Replaces the children of `node`.
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

// Calls `fn` once calls have stopped for `ms` milliseconds.
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
