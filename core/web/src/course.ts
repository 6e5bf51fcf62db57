// The instructor's course page: its assignments (state, edit, results, export, delete), a new
// assignment from the form or from a bundle zip, course settings, members, and grades sent
// to the LMS again.
import { api, ApiError, currentUser, csrfToken } from './api';
import { h, clear, mainArea } from './dom';
import { t } from './strings';
import { formField, notice, errorText, pageHeading } from './forms';

export interface Assignment { id: number; course_id: number; slug: string; title: string; latest_version: number; published_version: number | null }

export function stateOf(a: Assignment): string {
  if (a.published_version == null) return t.stateDraft;
  if (a.published_version < a.latest_version) return t.statePublishedOlder(a.published_version, a.latest_version);
  return t.statePublished(a.published_version);
}

// Uploads a bundle zip as the request body (the API takes application/zip bytes).
export async function uploadZip(method: string, path: string, file: File): Promise<Assignment> {
  const res = await fetch(path, { method, credentials: 'same-origin', body: file,
    headers: { 'Content-Type': 'application/zip', 'X-CSRF-Token': csrfToken(), Accept: 'application/json' } });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? 'http_' + res.status, data?.error?.message ?? res.statusText, null);
  return data as Assignment;
}

export async function coursePage(id: number): Promise<void> {
  const [{ data: course }, { data: list }, { data: mem }] = await Promise.all([
    api('GET', `/api/v1/courses/${id}`),
    api('GET', `/api/v1/courses/${id}/assignments`),
    api('GET', `/api/v1/courses/${id}/members`),
  ]);
  document.title = `${course.title} · ${t.appName}`;
  const main = mainArea();
  const status = notice();

  // Assignments.
  const rows = h('tbody');
  for (const a of (list.assignments ?? []) as Assignment[]) {
    const del = h('button', { type: 'button', class: 'link danger', 'aria-label': t.deleteNamed(a.title), onclick: async () => {
      if (!confirm(t.confirmDeleteAssignment(a.title))) return;
      try {
        await api('DELETE', `/api/v1/assignments/${a.id}`);
        await coursePage(id);
      } catch (e) {
        status.show(errorText(e), true);
      }
    } }, t.delete);
    rows.appendChild(h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: `/app/manage/assignments/${a.id}/edit` }, a.title), h('div', { class: 'muted small' }, a.slug)),
      h('td', {}, stateOf(a)),
      h('td', {}, h('div', { class: 'row-actions' },
        h('a', { href: `/app/manage/assignments/${a.id}/edit`, 'aria-label': t.editNamed(a.title) }, t.edit),
        h('a', { href: `/app/manage/assignments/${a.id}`, 'aria-label': t.resultsNamed(a.title) }, t.results),
        h('a', { href: `/api/v1/assignments/${a.id}/export`, download: `${a.slug}.zip`, 'aria-label': t.exportNamed(a.title) }, t.exportZip),
        h('a', { href: `/app/assignments/${a.id}`, 'aria-label': t.studentViewNamed(a.title) }, t.studentView),
        del))));
  }
  if (!rows.children.length) rows.appendChild(h('tr', {}, h('td', { colspan: 3, class: 'muted' }, t.noAssignments)));
  const table = h('table', { class: 'grid' }, h('caption', { class: 'visually-hidden' }, t.assignments),
    h('thead', {}, h('tr', {}, ...[t.title, t.state, t.actions].map((c) => h('th', { scope: 'col' }, c)))), rows);

  // Import a bundle.
  const file = h('input', { type: 'file', id: 'bundle-file', accept: '.zip,application/zip', required: true });
  const importForm = h('form', { class: 'inline-form' },
    h('label', { for: 'bundle-file' }, t.bundleZip), file,
    h('button', { type: 'submit' }, t.importBundle));
  importForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files?.[0];
    if (!f) return;
    try {
      const a = await uploadZip('POST', `/api/v1/courses/${id}/assignments`, f);
      location.assign(`/app/manage/assignments/${a.id}/edit?imported=1`);
    } catch (e) {
      status.show(errorText(e), true);
    }
  });

  // Course settings.
  const title = formField('course-title', t.courseTitle, h('input', { value: course.title, required: true, maxlength: 300 }));
  const settings = h('form', { class: 'form' }, title.row, h('button', { type: 'submit' }, t.save));
  settings.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('PUT', `/api/v1/courses/${id}`, { title: title.input.value });
      status.show(t.saved, false);
    } catch (e) {
      status.show(errorText(e), true);
    }
  });

  // Members.
  const members = h('tbody');
  const isAdmin = currentUser()?.role === 'admin';
  for (const m of mem.members ?? []) {
    const role = h('select', { 'aria-label': t.roleOf(m.display_name || m.username) },
      ...['student', 'instructor'].map((r) => h('option', { value: r, selected: r === m.course_role }, t.roles[r])));
    role.addEventListener('change', async () => {
      try {
        await api('PUT', `/api/v1/courses/${id}/members/${m.id}`, { role: role.value });
        status.show(t.saved, false);
      } catch (e) {
        status.show(errorText(e), true);
      }
    });
    members.appendChild(h('tr', {},
      h('th', { scope: 'row' }, m.display_name || m.username),
      h('td', {}, m.username), h('td', {}, role),
      h('td', {}, h('button', { type: 'button', class: 'link danger', 'aria-label': t.removeNamed(m.display_name || m.username), onclick: async () => {
        if (!confirm(t.confirmRemoveMember(m.display_name || m.username))) return;
        try {
          await api('DELETE', `/api/v1/courses/${id}/members/${m.id}`);
          await coursePage(id);
        } catch (e) {
          status.show(errorText(e), true);
        }
      } }, t.remove))));
  }
  const memberTable = h('table', { class: 'grid' }, h('caption', { class: 'visually-hidden' }, t.members),
    h('thead', {}, h('tr', {}, ...[t.name, t.username, t.courseRole, t.actions].map((c) => h('th', { scope: 'col' }, c)))), members);
  // Enrol someone: administrators pick from the users; instructors give a user id.
  let who: HTMLInputElement | HTMLSelectElement;
  if (isAdmin) {
    const { data: users } = await api('GET', '/api/v1/users');
    who = h('select', {}, ...(users.users ?? []).map((u: any) => h('option', { value: u.id }, `${u.display_name || u.username} (${u.username})`)));
  } else {
    who = h('input', { type: 'number', min: 1, required: true });
  }
  const whoField = formField('enrol-user', isAdmin ? t.user : t.userId, who);
  const enrolRole = formField('enrol-role', t.courseRole,
    h('select', {}, ...['student', 'instructor'].map((r) => h('option', { value: r }, t.roles[r]))));
  const enrol = h('form', { class: 'inline-form' }, whoField.row, enrolRole.row, h('button', { type: 'submit' }, t.enrol));
  enrol.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('PUT', `/api/v1/courses/${id}/members/${Number(who.value)}`, { role: enrolRole.input.value });
      await coursePage(id);
    } catch (e) {
      status.show(errorText(e), true);
    }
  });

  // The LMS.
  const lmsOut = h('p', { role: 'status', 'aria-live': 'polite' });
  const resend = h('button', { type: 'button', onclick: async () => {
    resend.disabled = true;
    try {
      const { data } = await api('POST', `/api/v1/courses/${id}/lti/resend-grades`);
      lmsOut.textContent = t.gradesQueued(data.queued ?? 0);
    } catch (e) {
      lmsOut.textContent = e instanceof ApiError && e.status === 404 ? t.noLms : errorText(e);
    }
    resend.disabled = false;
  } }, t.resendGrades);

  clear(main,
    pageHeading(course.title, [{ href: '/app/', text: t.myCourses }]),
    h('p', { class: 'muted' }, t.courseCode(course.code)),
    status.el,
    h('section', { 'aria-labelledby': 'h-assignments' },
      h('h2', { id: 'h-assignments' }, t.assignments),
      h('div', { class: 'actions' }, h('a', { class: 'button primary', href: `/app/manage/courses/${id}/new` }, t.newAssignment)),
      table,
      h('h3', {}, t.importBundle), h('p', { class: 'muted' }, t.importHelp), importForm),
    h('section', { 'aria-labelledby': 'h-members' }, h('h2', { id: 'h-members' }, t.members), memberTable, h('h3', {}, t.enrol), enrol),
    h('section', { 'aria-labelledby': 'h-lms' }, h('h2', { id: 'h-lms' }, t.lms), h('p', { class: 'muted' }, t.resendHelp), resend, lmsOut),
    h('section', { 'aria-labelledby': 'h-settings' }, h('h2', { id: 'h-settings' }, t.courseSettings), settings));
}

// A new course, from the course list.
export function newCourseForm(): HTMLElement {
  const code = formField('new-course-code', t.courseCodeLabel, h('input', { required: true, maxlength: 64 }));
  const title = formField('new-course-title', t.courseTitle, h('input', { required: true, maxlength: 300 }));
  const out = notice();
  const form = h('form', { class: 'inline-form' }, code.row, title.row, h('button', { type: 'submit' }, t.createCourse), out.el);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const { data } = await api('POST', '/api/v1/courses', { code: code.input.value, title: title.input.value });
      location.assign(`/app/manage/courses/${data.id}`);
    } catch (e) {
      out.show(errorText(e), true);
    }
  });
  return h('section', { 'aria-labelledby': 'h-new-course' }, h('h2', { id: 'h-new-course' }, t.newCourse), form);
}
