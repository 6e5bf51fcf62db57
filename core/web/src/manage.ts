// The instructor's results page of one assignment: every student's best and final score and
// number of runs, drill-down to each run, the distribution of final scores, CSV export, and a
// check of the reference solution.
import { api, ApiError, currentUser } from './api';
import { h, clear, mainArea } from './dom';
import { t, fmt } from './strings';
import { highlightPython } from './markdown';
import { renderSubmission, shortScore, Submission } from './results';
import { pageHeading } from './forms';

interface Row { userId: number; name: string; best: number | null; final: number | null; max: number; runs: number; last: string; subs: Submission[] }

// Minutes between a student's first and last run, leaving out breaks over 30 minutes.
const kBreakMs = 30 * 60 * 1000;
function minutesSpent(subs: Submission[]): number {
  const times = subs.map((s) => Date.parse(s.created_at)).filter((n) => !Number.isNaN(n)).sort((x, y) => x - y);
  let total = 0;
  for (let i = 1; i < times.length; i++) {
    const gap = times[i] - times[i - 1];
    if (gap <= kBreakMs) total += gap;
  }
  return total / 60000;
}

function histogram(values: number[], max: number): SVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const bins = 10, w = 400, hgt = 160, pad = 24;
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((max > 0 ? v / max : 0) * bins))]++;
  const top = Math.max(1, ...counts);
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${hgt + pad}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'chart');
  const title = document.createElementNS(ns, 'title');
  title.textContent = t.distribution + ': ' + counts.map((c, i) => `${fmt((i * max) / bins)}–${fmt(((i + 1) * max) / bins)}: ${c}`).join(', ');
  svg.appendChild(title);
  const bw = w / bins;
  counts.forEach((c, i) => {
    const bh = (c / top) * (hgt - 10);
    const r = document.createElementNS(ns, 'rect');
    r.setAttribute('x', String(i * bw + 2));
    r.setAttribute('y', String(hgt - bh));
    r.setAttribute('width', String(bw - 4));
    r.setAttribute('height', String(bh));
    r.setAttribute('class', 'bar');
    svg.appendChild(r);
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('x', String(i * bw + bw / 2));
    label.setAttribute('y', String(hgt + 16));
    label.setAttribute('text-anchor', 'middle');
    label.textContent = fmt(((i + 1) * max) / bins);
    svg.appendChild(label);
  });
  return svg;
}

function csv(rows: Row[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['username,best,final,max,runs,minutes_spent'];
  for (const r of rows) lines.push([q(r.name), r.best ?? '', r.final ?? '', r.max, r.runs, Math.round(minutesSpent(r.subs))].join(','));
  return lines.join('\n') + '\n';
}

export async function managePage(id: number): Promise<void> {
  const { data: a } = await api('GET', `/api/v1/assignments/${id}`);
  document.title = `${t.manageResults}: ${a.title} · ${t.appName}`;
  const [{ data: course }, { data: members }, { data: list }] = await Promise.all([
    api('GET', `/api/v1/courses/${a.course_id}`),
    api('GET', `/api/v1/courses/${a.course_id}/members`),
    api('GET', `/api/v1/assignments/${id}/submissions`),
  ]);
  const names = new Map<number, string>();
  // The course's instructors (and whoever looks at this page) run the reference solution as
  // checks: those runs are not a student's results.
  const staff = new Set<number>([currentUser()?.id ?? 0]);
  for (const m of members.members ?? []) {
    names.set(m.id, m.display_name || m.username);
    if (m.course_role === 'instructor') staff.add(m.id);
  }
  const rows = new Map<number, Row>();
  for (const s of list.submissions as (Submission & { user_id: number })[]) {
    if (staff.has(s.user_id)) continue;
    const r = rows.get(s.user_id) ?? { userId: s.user_id, name: names.get(s.user_id) ?? `#${s.user_id}`, best: null, final: null, max: 0, runs: 0, last: '', subs: [] };
    r.subs.push(s);
    r.runs++;
    if (s.created_at > r.last) r.last = s.created_at;
    if (s.status === 'graded') {
      r.max = s.max_score ?? r.max;
      r.best = Math.max(r.best ?? 0, s.score ?? 0);
      if (s.kind === 'submit') r.final = s.score ?? 0;
    }
    rows.set(s.user_id, r);
  }
  const all = [...rows.values()].sort((x, y) => x.name.localeCompare(y.name));
  const detail = h('div', { class: 'history-detail' });
  const table = h('table', { class: 'grades' },
    h('caption', {}, t.manageResults),
    h('thead', {}, h('tr', {}, ...[t.student, t.best, t.final, t.runs, t.timeSpent, t.lastActivity].map((c) => h('th', { scope: 'col' }, c)))));
  const body = h('tbody');
  for (const r of all) {
    const show = () => {
      const runs = h('ul', { class: 'history' });
      for (const s of r.subs.sort((x, y) => y.id - x.id))
        runs.appendChild(h('li', {}, `${t.runLabel(s.kind, s.ordinal)} · ${shortScore(s)} `,
          h('button', { type: 'button', class: 'link', onclick: async () => {
            const { data: full } = await api('GET', `/api/v1/submissions/${s.id}`);
            const code = h('div', {});
            for (const [n, text] of Object.entries((full.files ?? {}) as Record<string, string>))
              code.append(h('div', { class: 'label' }, n), h('pre', { class: 'code' }, highlightPython(text)));
            clear(detail, h('h3', {}, `${r.name}: ${t.runLabel(full.kind, full.ordinal)}`), code, renderSubmission(full));
          } }, t.viewRun)));
      clear(detail, h('h3', {}, t.studentRuns(r.name)), runs);
    };
    body.appendChild(h('tr', {},
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', onclick: show }, r.name)),
      h('td', {}, r.best == null ? '–' : fmt(r.best)),
      h('td', {}, r.final == null ? '–' : fmt(r.final)),
      h('td', {}, String(r.runs)),
      h('td', {}, t.duration(minutesSpent(r.subs))),
      h('td', {}, r.last ? new Date(r.last).toLocaleString() : '')));
  }
  table.appendChild(body);
  const max = all.find((r) => r.max)?.max ?? 10;
  const finals = all.filter((r) => r.final != null).map((r) => r.final as number);
  const download = h('a', { class: 'button', download: `grades-${a.slug ?? id}.csv`, href: URL.createObjectURL(new Blob([csv(all)], { type: 'text/csv' })) }, t.exportCsv);
  const checkOut = h('div', { role: 'status', 'aria-live': 'polite' });
  const checkBtn = h('button', { type: 'button', onclick: async () => {
    checkBtn.disabled = true;
    clear(checkOut, h('p', {}, t.checking));
    try {
      const { data: s } = await api('POST', `/api/v1/assignments/${id}/check?wait=60`);
      clear(checkOut, renderSubmission(s));
    } catch (e) {
      clear(checkOut, h('p', { class: 'error' }, t.errorPrefix + (e instanceof ApiError ? e.message : String(e))));
    }
    checkBtn.disabled = false;
  } }, t.checkSolution);
  clear(mainArea(),
    pageHeading(`${t.manageResults}: ${a.title}`, [{ href: '/app/', text: t.myCourses }, { href: `/app/manage/courses/${a.course_id}`, text: course.title }]),
    h('p', {}, h('a', { href: `/app/manage/assignments/${id}/edit` }, t.editAndPublish)),
    h('div', { class: 'actions' }, download, checkBtn), checkOut,
    table,
    h('p', { class: 'muted' }, t.timeSpentHelp),
    h('h2', {}, t.distribution), histogram(finals, max),
    detail);
}
