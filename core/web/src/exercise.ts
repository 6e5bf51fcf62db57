// The student exercise page: statement, editor, Run/Submit with live feedback, pace countdown,
// automatic retry after 429/503, history of runs, and a draft kept in localStorage.
import { api, ApiError, currentUser } from './api';
import { h, clear, mainArea } from './dom';
import { t } from './strings';
import { renderMarkdown, highlightPython } from './markdown';
import { CodeEditor } from './editor';
import { renderSubmission, shortScore, Submission } from './results';

interface Content {
  title: string;
  statement: string;
  starter: Record<string, string>;
  limits?: { time_s: number; memory_mb: number };
}

// Students get the published content; instructors get the manifest and every file.
function contentOf(data: any): Content {
  const c = data.content ?? {};
  if (c.manifest) {
    const m = c.manifest;
    const starter: Record<string, string> = {};
    for (const p of m.starter ?? []) starter[p.replace(/^starter\//, '')] = c.files[p] ?? '';
    return { title: m.title ?? data.title, statement: c.files[m.statement] ?? '', starter, limits: m.limits && { time_s: m.limits.time_s, memory_mb: m.limits.memory_mb } };
  }
  return { title: c.title ?? data.title, statement: c.statement ?? '', starter: c.starter ?? {}, limits: c.limits };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function exercisePage(id: number): Promise<void> {
  const { data } = await api('GET', `/api/v1/assignments/${id}`);
  const content = contentOf(data);
  document.title = `${content.title} · ${t.appName}`;
  const user = currentUser();
  const draftKey = `assay.draft.${user?.id ?? 0}.${id}`;
  let files: Record<string, string> = { ...content.starter };
  if (Object.keys(files).length === 0) files['main.py'] = '';
  try {
    const saved = JSON.parse(localStorage.getItem(draftKey) ?? 'null');
    if (saved && typeof saved === 'object') for (const k of Object.keys(files)) if (typeof saved[k] === 'string') files[k] = saved[k];
  } catch {
    /* a broken draft is ignored */
  }

  const statusLine = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const paceLine = h('p', { class: 'pace', role: 'timer', 'aria-live': 'off' });
  const savedLine = h('span', { class: 'muted saved' });
  const feedback = h('div', { class: 'feedback-body' }, h('p', { class: 'muted' }, t.noFeedbackYet));
  const historyList = h('ol', { class: 'history', reversed: true });
  const historyDetail = h('div', { class: 'history-detail' });
  const runBtn = h('button', { type: 'button', class: 'primary', id: 'run' }, t.run);
  const submitBtn = h('button', { type: 'button', id: 'submit' }, t.submit);
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t.fileTabs });
  const editorHost = h('div', { class: 'editor', id: 'editor-panel', role: 'tabpanel' });

  clear(
    mainArea(),
    h('h1', {}, content.title),
    h('div', { class: 'exercise' },
      h('section', { class: 'statement', 'aria-labelledby': 'st-h' },
        h('h2', { id: 'st-h', class: 'visually-hidden' }, t.statement),
        renderMarkdown(content.statement),
        content.limits ? h('p', { class: 'muted' }, t.limits(content.limits.time_s, content.limits.memory_mb)) : null),
      h('section', { class: 'work', 'aria-labelledby': 'ed-h' },
        h('h2', { id: 'ed-h', class: 'visually-hidden' }, t.editor),
        tabs,
        editorHost,
        h('div', { class: 'actions' }, runBtn, submitBtn, savedLine),
        paceLine,
        statusLine,
        h('section', { class: 'feedback', 'aria-labelledby': 'fb-h' }, h('h2', { id: 'fb-h' }, t.feedback), feedback))),
    h('section', { class: 'runs', 'aria-labelledby': 'hi-h' }, h('h2', { id: 'hi-h' }, t.history), historyList, historyDetail),
  );

  let saveTimer = 0;
  const saveDraft = (f: Record<string, string>) => {
    try {
      localStorage.setItem(draftKey, JSON.stringify(f));
      savedLine.textContent = t.draftSaved;
    } catch {
      /* storage may be unavailable in some iframes; the code stays in the editor */
    }
  };
  const editor = new CodeEditor(editorHost, files, (f) => {
    clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => saveDraft(f), 300);
  });
  window.addEventListener('pagehide', () => saveDraft(editor.files()));

  // File tabs (only when there are several files).
  const names = editor.fileNames();
  if (names.length > 1) {
    for (const n of names) {
      const tab = h('button', { type: 'button', role: 'tab', 'aria-selected': String(n === editor.activeFile()), 'aria-controls': 'editor-panel' }, n);
      tab.addEventListener('click', () => {
        editor.show(n);
        for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-selected', String(b === tab));
      });
      tabs.appendChild(tab);
    }
  } else {
    tabs.appendChild(h('span', { class: 'filename' }, names[0]));
  }

  // The pace countdown: the Run button waits until the server allows the next run.
  let paceUntil = 0;
  let paceTimer = 0;
  let sending = false;
  const refreshButtons = () => {
    const left = Math.ceil((paceUntil - Date.now()) / 1000);
    runBtn.disabled = sending || left > 0;
    submitBtn.disabled = sending;
    paceLine.textContent = left > 0 ? t.paceWait(left) : '';
  };
  const startPace = (seconds: number) => {
    paceUntil = Math.max(paceUntil, Date.now() + seconds * 1000);
    clearInterval(paceTimer);
    paceTimer = window.setInterval(() => {
      refreshButtons();
      if (Date.now() >= paceUntil) clearInterval(paceTimer);
    }, 250);
    refreshButtons();
  };

  const countdown = async (seconds: number, message: (s: number) => string) => {
    for (let s = Math.max(1, seconds); s > 0; s--) {
      statusLine.textContent = message(s);
      await sleep(1000);
    }
  };

  const showResult = (s: Submission) => {
    statusLine.textContent = t.status[s.status] ?? s.status;
    clear(feedback, renderSubmission(s));
    void loadHistory();
  };

  // Follows a submission live over the WebSocket; falls back to long polling if it drops.
  const follow = (sid: number) =>
    new Promise<void>((resolve) => {
      let done = false;
      const poll = async () => {
        while (!done) {
          try {
            const { data: s } = await api('GET', `/api/v1/submissions/${sid}?wait=30`);
            statusLine.textContent = t.status[s.status] ?? s.status;
            if (s.status !== 'queued' && s.status !== 'running') {
              done = true;
              showResult(s);
            }
          } catch {
            statusLine.textContent = t.networkError;
            await sleep(3000);
          }
        }
        resolve();
      };
      let ws: WebSocket;
      try {
        ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/submissions/${sid}/live`);
      } catch {
        void poll();
        return;
      }
      ws.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data));
        if (msg.type === 'status') {
          statusLine.textContent = t.status[msg.status] ?? msg.status;
          clear(feedback, h('p', { class: 'status-big', 'data-status': msg.status }, t.status[msg.status] ?? msg.status));
        } else if (msg.type === 'result') {
          done = true;
          showResult(msg.submission);
          resolve();
        }
      };
      ws.onclose = () => {
        if (!done) void poll();
      };
    });

  const send = async (kind: 'run' | 'submit') => {
    sending = true;
    refreshButtons();
    const code = editor.files();
    saveDraft(code);
    clear(feedback, h('p', { class: 'status-big' }, t.status.sending));
    try {
      for (;;) {
        statusLine.textContent = t.status.sending;
        try {
          const res = await api('POST', `/api/v1/assignments/${id}/submissions`, { kind, files: code });
          if (typeof res.data.next_run_in_s === 'number' && res.data.next_run_in_s > 0) startPace(res.data.next_run_in_s);
          if (res.status === 200 && res.data.status !== 'queued' && res.data.status !== 'running') showResult(res.data);
          else await follow(res.data.id);
          return;
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          if (e.status === 429 && e.code === 'pace') {
            startPace(e.retryAfter ?? 5);
            await countdown(e.retryAfter ?? 5, t.paceRefused);
          } else if (e.status === 503) {
            await countdown(e.retryAfter ?? 5, t.busy);
          } else if (e.status === 0) {
            statusLine.textContent = t.networkError;
            await sleep(3000);
          } else {
            statusLine.textContent = t.errorPrefix + e.message;
            return;
          }
        }
      }
    } finally {
      sending = false;
      refreshButtons();
    }
  };
  runBtn.addEventListener('click', () => void send('run'));
  // Submitting asks for a confirmation in the page (LMS iframes may block dialogs).
  const confirmBar = h('div', { class: 'confirm', role: 'group', 'aria-label': t.submit, hidden: true },
    h('span', {}, t.confirmSubmit),
    h('button', { type: 'button', class: 'primary', id: 'confirm-submit', onclick: () => { confirmBar.hidden = true; void send('submit'); } }, t.confirmYes),
    h('button', { type: 'button', onclick: () => { confirmBar.hidden = true; submitBtn.focus(); } }, t.cancel));
  submitBtn.after(confirmBar);
  submitBtn.addEventListener('click', () => {
    confirmBar.hidden = false;
    (confirmBar.querySelector('#confirm-submit') as HTMLElement).focus();
  });

  const showRun = async (sid: number) => {
    const { data: s } = await api('GET', `/api/v1/submissions/${sid}`);
    const code = h('div', { class: 'run-code' });
    for (const [name, text] of Object.entries((s.files ?? {}) as Record<string, string>)) {
      code.appendChild(h('div', { class: 'label' }, name));
      code.appendChild(h('pre', { class: 'code' }, highlightPython(text)));
      if (editor.fileNames().includes(name))
        code.appendChild(h('button', { type: 'button', onclick: () => editor.setFile(name, text) }, t.loadIntoEditor));
    }
    clear(historyDetail, h('h3', { tabindex: '-1' }, t.runLabel(s.kind, s.ordinal)), h('h4', {}, t.codeOfRun), code, renderSubmission(s));
    (historyDetail.querySelector('h3') as HTMLElement).focus();
  };

  const loadHistory = async () => {
    const { data: list } = await api('GET', `/api/v1/assignments/${id}/submissions`);
    const subs = (list.submissions as Submission[]).slice().sort((a, b) => b.id - a.id);
    clear(historyList);
    if (subs.length === 0) historyList.appendChild(h('li', { class: 'muted' }, t.noHistory));
    for (const s of subs) {
      historyList.appendChild(
        h('li', {},
          h('span', {}, `${t.runLabel(s.kind, s.ordinal)} · ${new Date(s.created_at).toLocaleString()} · ${shortScore(s)} `),
          h('button', { type: 'button', class: 'link', 'aria-label': `${t.viewRun}: ${t.runLabel(s.kind, s.ordinal)}`, onclick: () => void showRun(s.id) }, t.viewRun)),
      );
    }
  };
  refreshButtons();
  await loadHistory();
}
