// Renders a graded submission: score, then each test with its feedback, output and diff.
import { h, Child } from './dom';
import { t, fmt } from './strings';

export interface TestResult {
  name: string;
  passed: boolean;
  points: number;
  max_points: number;
  feedback: string;
  details?: { status?: string; grader?: { verdict?: string; stdout?: string; stderr?: string; diff?: string } };
}

export interface Submission {
  id: number;
  kind: string;
  ordinal: number;
  status: string;
  score?: number;
  max_score?: number;
  created_at: string;
  files?: Record<string, string>;
  results?: TestResult[];
  hidden_results?: number;
}

function diffBlock(diff: string): HTMLElement {
  const pre = h('pre', { class: 'diff', 'aria-label': t.diff });
  for (const line of diff.replace(/\n$/, '').split('\n')) {
    const cls = line.startsWith('-') ? 'del' : line.startsWith('+') ? 'ins' : 'same';
    pre.appendChild(h('span', { class: cls }, line + '\n'));
  }
  return pre;
}

function testItem(r: TestResult): HTMLElement {
  const g = r.details?.grader;
  const parts: Child[] = [
    h('div', { class: 'test-head' },
      h('span', { class: r.passed ? 'badge ok' : 'badge bad' }, r.passed ? '✔ ' + t.passed : '✘ ' + t.failedTest),
      h('strong', { class: 'test-name' }, r.name),
      h('span', { class: 'points' }, t.points(r.points, r.max_points))),
  ];
  if (g?.verdict && t.verdicts[g.verdict]) parts.push(h('p', { class: 'verdict' }, t.verdicts[g.verdict]));
  if (r.feedback) parts.push(h('p', { class: 'feedback-text' }, r.feedback));
  if (g?.diff && !r.passed) parts.push(h('div', { class: 'label' }, t.diff), diffBlock(g.diff));
  if (g?.stdout) parts.push(h('details', {}, h('summary', {}, t.stdout), h('pre', { class: 'out' }, g.stdout)));
  if (g?.stderr) parts.push(h('details', { open: !r.passed }, h('summary', {}, t.stderr), h('pre', { class: 'out err' }, g.stderr)));
  return h('li', { class: 'test ' + (r.passed ? 'passed' : 'failed') }, ...parts);
}

export function renderSubmission(s: Submission): HTMLElement {
  const box = h('div', { class: 'result', 'data-status': s.status, 'data-id': s.id });
  if (s.status !== 'graded') {
    box.appendChild(h('p', { class: 'status' }, t.status[s.status] ?? s.status));
    return box;
  }
  const max = s.max_score ?? 0;
  const score = s.score ?? 0;
  box.appendChild(h('p', { class: 'score' + (score >= max ? ' full' : '') }, s.kind === 'submit' ? t.finalScore(score, max) : t.score(score, max)));
  const list = h('ul', { class: 'tests' });
  for (const r of s.results ?? []) list.appendChild(testItem(r));
  box.appendChild(list);
  if (s.hidden_results) box.appendChild(h('p', { class: 'muted' }, t.hiddenTests(s.hidden_results)));
  return box;
}

export function shortScore(s: Submission): string {
  return s.status === 'graded' ? `${fmt(s.score ?? 0)}/${fmt(s.max_score ?? 0)}` : t.status[s.status] ?? s.status;
}
