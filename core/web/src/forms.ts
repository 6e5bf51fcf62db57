// Shared pieces of the instructor and administrator pages: labelled fields, a live notice
// line, error texts, and the page heading with its breadcrumb trail.
import { ApiError } from './api';
import { h, Child } from './dom';
import { t } from './strings';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

// A label bound to its control by id, with an optional hint that the control describes itself by.
export function formField<C extends Control>(id: string, label: string, input: C, hint?: string): { row: HTMLElement; input: C } {
  input.id = id;
  if (!input.getAttribute('name')) input.setAttribute('name', id);
  const parts: Child[] = [h('label', { for: id }, label)];
  if (hint) {
    input.setAttribute('aria-describedby', id + '-hint');
    parts.push(h('span', { id: id + '-hint', class: 'hint' }, hint));
  }
  const checkbox = input instanceof HTMLInputElement && input.type === 'checkbox';
  const row = checkbox ? h('div', { class: 'field check' }, input, ...parts) : h('div', { class: 'field' }, ...parts, input);
  return { row, input };
}

// A polite live region for "saved" and error messages.
export function notice(): { el: HTMLElement; show: (msg: string, error: boolean) => void } {
  const el = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  return {
    el,
    show: (msg, error) => {
      el.textContent = msg;
      el.className = 'notice ' + (error ? 'error' : 'ok');
    },
  };
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return t.errorPrefix + e.message + (e.code ? ` (${e.code})` : '');
  return t.errorPrefix + String((e as Error)?.message ?? e);
}

export function pageHeading(title: string, crumbs: { href: string; text: string }[]): DocumentFragment {
  const frag = document.createDocumentFragment();
  if (crumbs.length) {
    const ol = h('ol');
    for (const c of crumbs) ol.appendChild(h('li', {}, h('a', { href: c.href }, c.text)));
    frag.appendChild(h('nav', { class: 'crumbs', 'aria-label': t.breadcrumbs }, ol));
  }
  frag.appendChild(h('h1', {}, title));
  return frag;
}

// A button that copies a text to the clipboard and says so.
export function copyButton(text: () => string, label: string): HTMLButtonElement {
  const b = h('button', { type: 'button' }, label);
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      b.textContent = t.copied;
    } catch {
      b.textContent = t.copyFailed;
    }
    setTimeout(() => (b.textContent = label), 2500);
  });
  return b;
}

export function table(caption: string, heads: string[], rows: HTMLElement[], empty: string): HTMLTableElement {
  const body = h('tbody', {}, ...rows);
  if (!rows.length) body.appendChild(h('tr', {}, h('td', { colspan: heads.length, class: 'muted' }, empty)));
  return h('table', { class: 'grid' }, h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, ...heads.map((c) => h('th', { scope: 'col' }, c)))), body);
}
