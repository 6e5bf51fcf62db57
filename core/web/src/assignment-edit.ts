// The assignment editor: title, statement (Markdown, with a preview), starter and solution
// files, tests and limits in a form; a new version from a bundle zip; export; and publishing,
// which first runs the reference solution against the tests.
// Saving sends the whole bundle as JSON {manifest, files}: fields the form does not show
// (pace, skills, requires, tolerances, …) are kept from the version being edited.
import { api, ApiError } from './api';
import { h, clear, mainArea, Child } from './dom';
import { t } from './strings';
import { formField, notice, errorText, pageHeading } from './forms';
import { renderMarkdown } from './markdown';
import { renderSubmission, Submission } from './results';
import { Assignment, stateOf, uploadZip } from './course';

type Json = Record<string, any>;

interface FileRow { el: HTMLElement; name: HTMLInputElement; text: HTMLTextAreaElement; path: () => string }
interface TestRow { el: HTMLElement; orig: Json; read: (files: Record<string, string>) => Json }

const COMPARES = ['trailing_whitespace', 'exact', 'whitespace', 'case_insensitive', 'numeric', 'regex', 'unordered_lines'];
let uid = 0;
const nextId = (p: string) => `${p}-${++uid}`;

function strip(path: string, dir: string): string {
  return path.startsWith(dir + '/') ? path.slice(dir.length + 1) : path;
}

// Sets obj[key] = value, except that a default value the bundle did not spell out stays
// unspelt: saving an unchanged form gives back the same manifest.
function setField(obj: Json, orig: Json, key: string, value: unknown, dflt: unknown): void {
  if (value === dflt && !(key in orig)) delete obj[key];
  else obj[key] = value;
}

function numberInput(value: number | undefined, min: number, max: number, step = '1'): HTMLInputElement {
  return h('input', { type: 'number', min, max, step, value: value ?? '' });
}

// A list of files (starter or solution): a name and its text each, add and remove.
function fileList(legend: string, dir: string, paths: string[], files: Record<string, string>, hint: string) {
  const rows: FileRow[] = [];
  const box = h('div', { class: 'file-list' });
  const add = (name: string, text: string, origPath?: string) => {
    const id = nextId(dir);
    const n = formField(id + '-name', t.fileName, h('input', { value: name, required: true, class: 'mono', spellcheck: 'false' }));
    const body = formField(id + '-text', t.fileContent(name || '…'), h('textarea', { rows: 8, class: 'mono', spellcheck: 'false' }));
    body.input.value = text;
    n.input.addEventListener('input', () => {
      const label = body.row.querySelector('label');
      if (label) label.textContent = t.fileContent(n.input.value || '…');
    });
    // A file keeps its place in the bundle unless it is renamed.
    const path = () => (origPath && strip(origPath, dir) === n.input.value.trim() ? origPath : `${dir}/${n.input.value.trim()}`);
    const row: FileRow = { el: h('div', { class: 'file-row' }), name: n.input, text: body.input, path };
    const remove = h('button', { type: 'button', class: 'link danger', onclick: () => {
      rows.splice(rows.indexOf(row), 1);
      row.el.remove();
      addBtn.focus();
    } }, t.removeFile);
    row.el.append(n.row, body.row, remove);
    rows.push(row);
    box.appendChild(row.el);
    return row;
  };
  const addBtn = h('button', { type: 'button', onclick: () => add('', '').name.focus() }, t.addFile);
  for (const p of paths) add(strip(p, dir), files[p] ?? '', p);
  const el = h('fieldset', { class: 'group' }, h('legend', {}, legend), h('p', { class: 'hint' }, hint), box, addBtn);
  return { el, rows, add };
}

// One test: the fields every test has, then those of its type.
function testRow(orig: Json, files: Record<string, string>, index: () => number, onRemove: (r: TestRow) => void): TestRow {
  const id = nextId('test');
  const name = formField(id + '-name', t.testName, h('input', { value: orig.name ?? '', required: true, maxlength: 120 }));
  const type = formField(id + '-type', t.testType,
    h('select', {}, h('option', { value: 'io', selected: orig.type !== 'unittest' }, t.testTypes.io),
      h('option', { value: 'unittest', selected: orig.type === 'unittest' }, t.testTypes.unittest)));
  const weight = formField(id + '-weight', t.weight, numberInput(orig.weight ?? 1, 0, 1000, 'any'));
  const hidden = formField(id + '-hidden', t.hiddenTest, h('input', { type: 'checkbox', checked: !!orig.hidden }));
  const feedback = formField(id + '-feedback', t.testFeedback, h('textarea', { rows: 2 }), t.testFeedbackHint);
  feedback.input.value = orig.feedback ?? '';
  const stdin = formField(id + '-stdin', t.stdin, h('textarea', { rows: 3, class: 'mono', spellcheck: 'false' }));
  stdin.input.value = orig.stdin_file ? files[orig.stdin_file] ?? '' : orig.stdin ?? '';
  const expected = formField(id + '-expected', t.expectedOutput, h('textarea', { rows: 3, class: 'mono', spellcheck: 'false' }));
  expected.input.value = orig.expected_file ? files[orig.expected_file] ?? '' : orig.expected ?? '';
  const compare = formField(id + '-compare', t.compare,
    h('select', {}, ...COMPARES.map((c) => h('option', { value: c, selected: (orig.compare ?? 'trailing_whitespace') === c }, t.compares[c] ?? c))));
  const ioBox = h('div', { class: 'cols' }, stdin.row, expected.row, compare.row);
  const file = formField(id + '-file', t.testFile, h('input', { value: orig.file ?? 'tests/test_main.py', class: 'mono', spellcheck: 'false' }));
  const code = formField(id + '-code', t.testCode, h('textarea', { rows: 10, class: 'mono', spellcheck: 'false' }), t.testCodeHint);
  code.input.value = orig.file ? files[orig.file] ?? '' : '';
  const utBox = h('div', {}, file.row, code.row);
  const legend = h('legend', {});
  const setLegend = () => (legend.textContent = t.testLegend(index() + 1, name.input.value));
  name.input.addEventListener('input', setLegend);
  const sync = () => {
    ioBox.hidden = type.input.value !== 'io';
    utBox.hidden = type.input.value === 'io';
  };
  type.input.addEventListener('change', sync);
  const row: TestRow = {
    el: h('fieldset', { class: 'group test-edit' }),
    orig,
    read: (out) => {
      const tst: Json = { ...orig, name: name.input.value };
      setField(tst, orig, 'type', type.input.value, 'io');
      setField(tst, orig, 'weight', Number(weight.input.value || 0), 1);
      if (hidden.input.checked) tst.hidden = true;
      else delete tst.hidden;
      if (feedback.input.value) tst.feedback = feedback.input.value;
      else delete tst.feedback;
      for (const k of ['stdin', 'stdin_file', 'expected', 'expected_file', 'compare', 'tolerance', 'file']) delete tst[k];
      if (type.input.value === 'io') {
        if (orig.stdin_file) {
          tst.stdin_file = orig.stdin_file;
          out[orig.stdin_file] = stdin.input.value;
        } else if (stdin.input.value) tst.stdin = stdin.input.value;
        if (orig.expected_file) {
          tst.expected_file = orig.expected_file;
          out[orig.expected_file] = expected.input.value;
        } else tst.expected = expected.input.value;
        setField(tst, orig, 'compare', compare.input.value, 'trailing_whitespace');
        if (orig.tolerance && tst.compare === 'numeric') tst.tolerance = orig.tolerance;
      } else {
        tst.file = file.input.value;
        out[file.input.value] = code.input.value;
      }
      return tst;
    },
  };
  const remove = h('button', { type: 'button', class: 'link danger', onclick: () => onRemove(row) }, t.removeTest);
  row.el.append(legend, h('div', { class: 'cols' }, name.row, type.row, weight.row, hidden.row), ioBox, utBox, feedback.row, remove);
  setLegend();
  sync();
  return row;
}

// Waits for a check run to be graded (the API answers 202 when it did not finish in time).
async function waitGraded(s: Submission): Promise<Submission> {
  while (s.status === 'queued' || s.status === 'running') {
    const { data } = await api('GET', `/api/v1/submissions/${s.id}?wait=30`);
    s = data;
  }
  return s;
}

// Leaving the page with unsaved changes in the form asks first.
let unsaved = false;
window.addEventListener('beforeunload', (ev) => {
  if (unsaved) ev.preventDefault();
});

export async function editPage(courseId: number | null, id: number | null): Promise<void> {
  unsaved = false;
  let a: Assignment | null = null;
  let manifest: Json = {
    format: 1, id: '', title: '', statement: 'statement.md', entry: 'main.py',
    starter: ['starter/main.py'], solution: ['solution/main.py'],
    tests: [{ name: 'first test', type: 'io', stdin: '', expected: '', weight: 1 }],
    limits: { time_s: 2, memory_mb: 256, output_kb: 64 }, max_score: 10,
  };
  let files: Record<string, string> = { 'statement.md': '', 'starter/main.py': '', 'solution/main.py': '' };
  if (id != null) {
    const { data } = await api('GET', `/api/v1/assignments/${id}`);
    a = data as Assignment;
    courseId = a.course_id;
    manifest = data.content.manifest;
    files = data.content.files;
  }
  const { data: course } = await api('GET', `/api/v1/courses/${courseId}`);
  const heading = a ? t.editAssignment(a.title) : t.newAssignment;
  document.title = `${heading} · ${t.appName}`;
  const status = notice();

  const slug = formField('a-slug', t.assignmentId, h('input', { value: manifest.id, required: true, maxlength: 64, pattern: '[a-z0-9][a-z0-9_\\-]*', class: 'mono', spellcheck: 'false' }), t.assignmentIdHint);
  if (a) slug.input.readOnly = true;
  const title = formField('a-title', t.title, h('input', { value: manifest.title, required: true, maxlength: 200 }));
  const statementPath = manifest.statement || 'statement.md';
  const statement = formField('a-statement', t.statementMd, h('textarea', { rows: 12 }), t.statementHint);
  statement.input.value = files[statementPath] ?? '';
  const preview = h('div', { class: 'statement preview', hidden: true, 'aria-live': 'polite' });
  const previewBtn = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'statement-preview' }, t.preview);
  preview.id = 'statement-preview';
  previewBtn.addEventListener('click', () => {
    const show = preview.hidden;
    preview.hidden = !show;
    previewBtn.setAttribute('aria-expanded', String(show));
    if (show) clear(preview, renderMarkdown(statement.input.value));
  });
  const entry = formField('a-entry', t.entryFile, h('input', { value: manifest.entry ?? 'main.py', class: 'mono', spellcheck: 'false' }), t.entryHint);
  const limits = manifest.limits ?? {};
  const maxScore = formField('a-max', t.maxScore, numberInput(manifest.max_score ?? 100, 0, 100000, 'any'));
  const timeS = formField('a-time', t.timeLimit, numberInput(limits.time_s ?? 2, 0.1, 60, 'any'));
  const memory = formField('a-memory', t.memoryLimit, numberInput(limits.memory_mb ?? 256, 16, 4096));
  const output = formField('a-output', t.outputLimit, numberInput(limits.output_kb ?? 64, 1, 16384));
  const pace = formField('a-pace', t.paceLabel, h('input', { value: (manifest.pace?.seconds ?? []).join(' '), class: 'mono', pattern: '[0-9 ]*', inputmode: 'numeric' }), t.paceHint);
  const skills = formField('a-skills', t.skillsLabel, h('input', { value: (manifest.skills ?? []).join(', ') }), t.skillsHint);

  const starter = fileList(t.starterFiles, 'starter', manifest.starter ?? [], files, t.starterHint);
  const solution = fileList(t.solutionFiles, 'solution', manifest.solution ?? [], files, t.solutionHint);

  const tests: TestRow[] = [];
  const testBox = h('div', {});
  const renumber = () => tests.forEach((r) => r.el.querySelector('input')?.dispatchEvent(new Event('input')));
  const addTest = (orig: Json) => {
    let row: TestRow | null = null;
    row = testRow(orig, files, () => (row ? tests.indexOf(row) : tests.length), (r) => {
      tests.splice(tests.indexOf(r), 1);
      r.el.remove();
      renumber();
      addTestBtn.focus();
    });
    tests.push(row);
    testBox.appendChild(row.el);
    return row;
  };
  for (const tst of manifest.tests ?? []) addTest(tst);
  const addTestBtn = h('button', { type: 'button', onclick: () => addTest({ type: 'io', weight: 1 }).el.querySelector('input')?.focus() }, t.addTest);

  // The bundle the form describes.
  const collect = (): { manifest: Json; files: Record<string, string> } => {
    const out: Record<string, string> = {};
    const keep = new Set<string>(Object.keys(files));
    // Files the form owns are rebuilt from it; every other file of the bundle is kept.
    for (const p of [statementPath, ...(manifest.starter ?? []), ...(manifest.solution ?? [])]) keep.delete(p);
    for (const tst of manifest.tests ?? []) for (const k of ['stdin_file', 'expected_file', 'file']) if (tst[k]) keep.delete(tst[k]);
    for (const p of keep) out[p] = files[p];
    out[statementPath] = statement.input.value;
    const m: Json = { ...manifest, id: slug.input.value.trim(), title: title.input.value.trim(), statement: statementPath };
    setField(m, manifest, 'entry', entry.input.value.trim() || 'main.py', 'main.py');
    m.starter = starter.rows.map((r) => r.path());
    m.solution = solution.rows.map((r) => r.path());
    starter.rows.forEach((r, i) => (out[m.starter[i]] = r.text.value));
    solution.rows.forEach((r, i) => (out[m.solution[i]] = r.text.value));
    for (const k of ['starter', 'solution']) if (!m[k].length && !(k in manifest)) delete m[k];
    m.tests = tests.map((r) => r.read(out));
    m.limits = { ...limits };
    setField(m.limits, limits, 'time_s', Number(timeS.input.value), 2);
    setField(m.limits, limits, 'memory_mb', Number(memory.input.value), 256);
    setField(m.limits, limits, 'output_kb', Number(output.input.value), 64);
    if (!Object.keys(m.limits).length && !('limits' in manifest)) delete m.limits;
    setField(m, manifest, 'max_score', Number(maxScore.input.value), 100);
    const seconds = pace.input.value.split(/[\s,]+/).filter(Boolean).map(Number);
    if (seconds.length) m.pace = { ...(manifest.pace ?? {}), seconds };
    else delete m.pace;
    const tags = skills.input.value.split(',').map((x) => x.trim()).filter(Boolean);
    if (tags.length) m.skills = tags;
    else delete m.skills;
    return { manifest: m, files: out };
  };

  const saveBtn = h('button', { type: 'submit', class: 'primary' }, a ? t.saveVersion : t.createAssignment);
  const form = h('form', { class: 'form assignment-form' },
    h('fieldset', { class: 'group' }, h('legend', {}, t.basics),
      h('div', { class: 'cols' }, slug.row, title.row),
      statement.row, h('div', { class: 'actions' }, previewBtn), preview,
      h('div', { class: 'cols' }, entry.row, maxScore.row)),
    h('fieldset', { class: 'group' }, h('legend', {}, t.limitsLegend), h('div', { class: 'cols' }, timeS.row, memory.row, output.row), h('div', { class: 'cols' }, pace.row, skills.row)),
    starter.el, solution.el,
    h('fieldset', { class: 'group' }, h('legend', {}, t.tests), h('p', { class: 'hint' }, t.testsHint), testBox, addTestBtn),
    h('div', { class: 'actions' }, saveBtn, status.el));
  form.addEventListener('input', () => (unsaved = true));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    saveBtn.disabled = true;
    try {
      const body = collect();
      if (a) {
        await api('PUT', `/api/v1/assignments/${a.id}`, body);
        await editPage(null, a.id);
        showSaved(t.savedVersion);
      } else {
        const { data } = await api('POST', `/api/v1/courses/${courseId}/assignments`, body);
        history.replaceState(null, '', `/app/manage/assignments/${data.id}/edit`);
        await editPage(null, data.id);
        showSaved(t.created);
      }
    } catch (e) {
      status.show(errorText(e), true);
      saveBtn.disabled = false;
    }
  });

  const parts: Child[] = [
    pageHeading(heading, [{ href: '/app/', text: t.myCourses }, { href: `/app/manage/courses/${courseId}`, text: course.title }]),
  ];
  if (a) parts.push(publishPanel(a), uploadPanel(a));
  parts.push(h('h2', {}, a ? t.editInForm : t.describeAssignment), form);
  clear(mainArea(), ...parts);
  if (new URLSearchParams(location.search).get('imported')) showSaved(t.imported);
}

function showSaved(msg: string): void {
  const el = document.getElementById('page-notice');
  if (el) {
    el.textContent = msg;
    el.className = 'notice ok';
  }
}

// Publishing: run the reference solution on the latest version, then publish it when it gets
// full marks (or when the instructor decides to publish anyway).
function publishPanel(a: Assignment): HTMLElement {
  const out = h('div', { class: 'check-out', role: 'status', 'aria-live': 'polite' });
  const publishBtn = h('button', { type: 'button', class: 'primary', id: 'check-publish' }, t.checkAndPublish(a.latest_version));
  const checkBtn = h('button', { type: 'button' }, t.checkSolution);
  const publish = async () => {
    const { data } = await api('POST', `/api/v1/assignments/${a.id}/publish`, { version: a.latest_version });
    a = data;
    state.textContent = stateOf(a);
    publishBtn.hidden = true;
    document.getElementById('page-notice')?.replaceChildren();
    out.querySelector('button')?.remove();
    out.appendChild(h('p', { class: 'ok-text' }, t.publishedNow(a.latest_version)));
  };
  const check = async (thenPublish: boolean) => {
    publishBtn.disabled = checkBtn.disabled = true;
    clear(out, h('p', {}, t.checking));
    try {
      let s: Submission;
      try {
        const { data } = await api('POST', `/api/v1/assignments/${a.id}/check?wait=60`, { version: a.latest_version });
        s = await waitGraded(data);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'no_solution') {
          clear(out, h('p', { class: 'warn' }, t.noSolution));
          if (thenPublish) out.appendChild(h('button', { type: 'button', onclick: publish }, t.publishAnyway));
          return;
        }
        throw e;
      }
      const full = s.status === 'graded' && (s.score ?? 0) >= (s.max_score ?? 0);
      clear(out, h('p', { class: full ? 'ok-text' : 'warn' }, full ? t.solutionPasses : t.solutionFails), renderSubmission(s));
      if (thenPublish && full) await publish();
      else if (thenPublish) out.appendChild(h('button', { type: 'button', onclick: () => publish().catch((e) => clear(out, h('p', { class: 'error' }, errorText(e)))) }, t.publishAnyway));
    } catch (e) {
      clear(out, h('p', { class: 'error' }, errorText(e)));
    } finally {
      publishBtn.disabled = checkBtn.disabled = false;
    }
  };
  // The latest version is what students have: nothing to publish until it changes.
  publishBtn.hidden = a.published_version === a.latest_version;
  publishBtn.addEventListener('click', () => check(true));
  checkBtn.addEventListener('click', () => check(false));
  const state = h('strong', { id: 'assignment-state' }, stateOf(a));
  return h('section', { class: 'panel', 'aria-labelledby': 'h-publish' },
    h('h2', { id: 'h-publish' }, t.publishing),
    h('p', { id: 'page-notice', class: 'notice', role: 'status' }),
    h('p', {}, t.stateLabel, ' ', state),
    h('p', { class: 'muted' }, t.publishHelp),
    h('div', { class: 'actions' }, publishBtn, checkBtn,
      h('a', { class: 'button', href: `/app/manage/assignments/${a.id}` }, t.results),
      h('a', { class: 'button', href: `/api/v1/assignments/${a.id}/export`, download: `${a.slug}.zip` }, t.exportZip),
      h('a', { class: 'button', href: `/app/assignments/${a.id}` }, t.studentView)),
    out);
}

function uploadPanel(a: Assignment): HTMLElement {
  const file = h('input', { type: 'file', id: 'version-zip', accept: '.zip,application/zip', required: true });
  const out = notice();
  const form = h('form', { class: 'inline-form' }, h('label', { for: 'version-zip' }, t.bundleZip), file, h('button', { type: 'submit' }, t.uploadVersion), out.el);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files?.[0];
    if (!f) return;
    try {
      await uploadZip('PUT', `/api/v1/assignments/${a.id}`, f);
      await editPage(null, a.id);
      showSaved(t.savedVersion);
    } catch (e) {
      out.show(errorText(e), true);
    }
  });
  return h('details', { class: 'panel' }, h('summary', {}, t.uploadVersionTitle), h('p', { class: 'muted' }, t.uploadVersionHelp(a.slug)), form);
}
