// A small Markdown renderer for assignment statements: headings, paragraphs, lists, fenced
// code (Python highlighted), inline code, emphasis and links. It builds DOM nodes, so text in
// a statement can never become markup or script.
import { highlightCode, classHighlighter } from '@lezer/highlight';
import { pythonLanguage } from '@codemirror/lang-python';
import { h, Child } from './dom';

export function highlightPython(code: string): HTMLElement {
  const out = h('code', { class: 'language-python' });
  const tree = pythonLanguage.parser.parse(code);
  highlightCode(
    code,
    tree,
    classHighlighter,
    (text, classes) => out.appendChild(classes ? h('span', { class: classes }, text) : document.createTextNode(text)),
    () => out.appendChild(document.createTextNode('\n')),
  );
  return out;
}

function inline(text: string): Child[] {
  const out: Child[] = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*]+\*|_[^_]+_)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const s = m[0];
    if (m[1]) out.push(h('code', {}, s.slice(1, -1)));
    else if (m[2]) out.push(h('strong', {}, ...inline(s.slice(2, -2))));
    else if (m[3]) out.push(h('em', {}, ...inline(s.slice(1, -1))));
    else {
      const close = s.indexOf('](');
      const href = s.slice(close + 2, -1);
      const safe = /^(https?:|mailto:|\/|#)/i.test(href) ? href : '#';
      out.push(h('a', { href: safe, target: '_blank', rel: 'noopener' }, ...inline(s.slice(1, close))));
    }
    last = m.index + s.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function renderMarkdown(src: string): HTMLElement {
  const root = h('div', { class: 'markdown' });
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let list: HTMLElement | null = null;
  const flush = () => {
    if (para.length) root.appendChild(h('p', {}, ...inline(para.join(' '))));
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^```\s*(\w*)/.exec(line);
    if (fence) {
      flush();
      list = null;
      const body: string[] = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]); i++) body.push(lines[i]);
      const code = body.join('\n');
      const lang = fence[1].toLowerCase();
      root.appendChild(h('pre', { class: 'code' }, lang === 'python' || lang === 'py' ? highlightPython(code) : h('code', {}, code)));
      continue;
    }
    const head = /^(#{1,4})\s+(.*)$/.exec(line);
    if (head) {
      flush();
      list = null;
      // The page has its own h1; statement headings start one level lower.
      const level = Math.min(head[1].length + 1, 6);
      root.appendChild(h(`h${level}` as 'h2', {}, ...inline(head[2])));
      continue;
    }
    const item = /^\s*([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const ordered = /\d/.test(item[1]);
      if (!list || (list.tagName === 'OL') !== ordered) {
        list = h(ordered ? 'ol' : 'ul');
        root.appendChild(list);
      }
      list.appendChild(h('li', {}, ...inline(item[2])));
      continue;
    }
    if (line.trim() === '') {
      flush();
      list = null;
      continue;
    }
    list = null;
    para.push(line.trim());
  }
  flush();
  return root;
}
