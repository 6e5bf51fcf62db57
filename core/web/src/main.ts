// The page application: picks the page from the path under /app. Each page's module is loaded
// only when it is opened, so a student never downloads the instructor's or administrator's pages.
import './style.css';
import { loadSession, toLogin, api, ApiError, User } from './api';
import { h, clear, mainArea } from './dom';
import { t } from './strings';
import { loginPage, homePage } from './pages';

function nav(user: User | null): void {
  const el = document.getElementById('nav');
  if (!el) return;
  if (!user) return clear(el);
  const out = h('button', { type: 'button', class: 'link', onclick: async () => {
    await api('POST', '/api/v1/auth/logout').catch(() => undefined);
    location.assign('/app/login');
  } }, t.signOut);
  const here = location.pathname;
  const link = (href: string, text: string, active: boolean) => h('a', { href, 'aria-current': active ? 'page' : undefined }, text);
  clear(el,
    link('/app/', t.myCourses, here === '/app/' || here === '/app'),
    user.role === 'admin' ? link('/app/admin', t.administration, here.startsWith('/app/admin')) : null,
    h('span', { class: 'muted' }, t.signedInAs(user.display_name || user.username)), out);
}

async function route(): Promise<void> {
  const path = location.pathname.replace(/\/+$/, '');
  if (path === '/app/login') return loginPage();
  const user = await loadSession();
  if (!user) return toLogin();
  nav(user);
  let m: RegExpExecArray | null;
  if ((m = /^\/app\/assignments\/(\d+)$/.exec(path))) return (await import('./exercise')).exercisePage(Number(m[1]));
  if ((m = /^\/app\/manage\/assignments\/(\d+)$/.exec(path))) return (await import('./manage')).managePage(Number(m[1]));
  if ((m = /^\/app\/manage\/assignments\/(\d+)\/edit$/.exec(path))) return (await import('./assignment-edit')).editPage(null, Number(m[1]));
  if ((m = /^\/app\/manage\/courses\/(\d+)\/new$/.exec(path))) return (await import('./assignment-edit')).editPage(Number(m[1]), null);
  if ((m = /^\/app\/manage\/courses\/(\d+)$/.exec(path))) return (await import('./course')).coursePage(Number(m[1]));
  if ((m = /^\/app\/admin(?:\/(\w+))?$/.exec(path)) && user.role === 'admin') return (await import('./admin')).adminPage(m[1] ?? 'status');
  if (path === '/app' || path === '') return homePage();
  clear(mainArea(), h('h1', {}, t.notFound));
}

function start(): void {
  route().catch((e) => {
    if (e instanceof ApiError && e.status === 401) return toLogin();
    const msg = e instanceof ApiError && e.status === 404 ? t.notFound : t.errorPrefix + String(e.message ?? e);
    clear(mainArea(), h('p', { class: 'error', role: 'alert' }, msg));
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
