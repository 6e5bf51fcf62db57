// The sign-in page and the list of courses and assignments.
import { api, ApiError, currentUser } from './api';
import { h, clear, mainArea } from './dom';
import { t } from './strings';

function safeNext(): string {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  return next.startsWith('/app') && !next.startsWith('/app/login') ? next : '/app/';
}

export function loginPage(): void {
  document.title = `${t.signIn} · ${t.appName}`;
  const error = h('p', { class: 'error', role: 'alert' });
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'login' },
    h('label', { for: 'username' }, t.username), user,
    h('label', { for: 'password' }, t.password), pass,
    h('button', { type: 'submit', class: 'primary' }, t.signIn), error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      await api('POST', '/api/v1/auth/login', { username: user.value, password: pass.value });
      location.assign(safeNext());
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 401 ? t.badCredentials
        : e instanceof ApiError && e.status === 429 ? t.tooManyAttempts : t.errorPrefix + String((e as Error).message);
      pass.focus();
    }
  });
  clear(mainArea(), h('h1', {}, t.signInTitle), h('p', { class: 'muted' }, t.signInHelp), form);
  user.focus();
}

export async function homePage(): Promise<void> {
  document.title = `${t.myCourses} · ${t.appName}`;
  const { data } = await api('GET', '/api/v1/courses');
  const main = mainArea();
  clear(main, h('h1', {}, t.myCourses));
  const courses = data.courses ?? [];
  if (courses.length === 0) main.appendChild(h('p', {}, t.noCourses));
  const role = currentUser()?.role;
  const admin = role === 'admin';
  if (admin) {
    // Administrators see every course: a list of links, not every course's assignments.
    const list = h('ul', { class: 'assignments' });
    for (const c of courses) list.appendChild(h('li', {}, h('a', { href: `/app/manage/courses/${c.id}` }, `${c.title} (${c.code})`)));
    if (courses.length) main.appendChild(list);
    main.appendChild((await import('./course')).newCourseForm());
    return;
  }
  const lists = await Promise.all(courses.map((c: any) => api('GET', `/api/v1/courses/${c.id}/assignments`)));
  courses.forEach((c: any, i: number) => {
    const teaches = c.my_role === 'instructor';
    const ad = lists[i].data;
    const list = h('ul', { class: 'assignments' });
    for (const a of ad.assignments ?? []) {
      list.appendChild(h('li', {},
        h('a', { href: `/app/assignments/${a.id}` }, a.title),
        a.published_version == null ? h('span', { class: 'badge' }, t.draft) : null,
        teaches ? h('a', { class: 'secondary-link', href: `/app/manage/assignments/${a.id}/edit`, 'aria-label': t.editNamed(a.title) }, t.edit) : null,
        teaches ? h('a', { class: 'secondary-link', href: `/app/manage/assignments/${a.id}`, 'aria-label': t.resultsNamed(a.title) }, t.results) : null));
    }
    if (!(ad.assignments ?? []).length) list.appendChild(h('li', { class: 'muted' }, t.noAssignments));
    main.appendChild(h('section', { class: 'course' },
      h('h2', {}, `${c.title} (${c.code})`),
      teaches ? h('p', {}, h('a', { href: `/app/manage/courses/${c.id}` }, t.manageCourse(c.title))) : null,
      list));
  });
  if (role === 'instructor') main.appendChild((await import('./course')).newCourseForm());
}
