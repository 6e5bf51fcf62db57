// The administrator's pages: system status, plugins, LMS platforms (LTI 1.3), LRS endpoints
// (xAPI) and users. Each view asks the API for its own data only.
import { api, ApiError, currentUser } from './api';
import { h, clear, mainArea, Child } from './dom';
import { t } from './strings';
import { formField, notice, errorText, copyButton, table } from './forms';

type View = 'status' | 'plugins' | 'lti' | 'lrs' | 'users';
const VIEWS: View[] = ['status', 'plugins', 'lti', 'lrs', 'users'];

function shell(view: View, ...content: Child[]): void {
  document.title = `${t.admin[view]} · ${t.administration} · ${t.appName}`;
  const tabs = h('ul', {});
  for (const v of VIEWS)
    tabs.appendChild(h('li', {}, h('a', { href: v === 'status' ? '/app/admin' : `/app/admin/${v}`, 'aria-current': v === view ? 'page' : undefined }, t.admin[v])));
  clear(mainArea(), h('nav', { class: 'subnav', 'aria-label': t.administration }, tabs), h('h1', {}, t.admin[view]), ...content);
}

function when(ms: number | string | undefined): string {
  if (ms === undefined || ms === null || ms === '') return '';
  return new Date(ms).toLocaleString();
}

function okBadge(ok: boolean): HTMLElement {
  return h('span', { class: ok ? 'badge ok' : 'badge bad' }, ok ? '✔ ' + t.ok : '✘ ' + t.notOk);
}

function dl(pairs: [string, Child][]): HTMLElement {
  const el = h('dl', { class: 'facts' });
  for (const [k, v] of pairs) el.append(h('dt', {}, k), h('dd', {}, v));
  return el;
}

// A module that is not built into this appliance answers 404 to its routes.
function missing(e: unknown): HTMLElement {
  return h('p', { class: e instanceof ApiError && e.status === 404 ? 'muted' : 'error' },
    e instanceof ApiError && e.status === 404 ? t.moduleMissing : errorText(e));
}

async function statusView(): Promise<void> {
  const { data: s } = await api('GET', '/api/v1/system/status');
  const checks: HTMLElement[] = [];
  for (const [name, c] of Object.entries(s.health as Record<string, any>)) {
    if (typeof c !== 'object' || c === null) continue;
    const detail = c.error ?? Object.entries(c).filter(([k]) => k !== 'ok' && k !== 'error' && typeof c[k] !== 'object').map(([k, v]) => `${k}: ${v}`).join(', ');
    checks.push(h('tr', {}, h('th', { scope: 'row' }, t.healthNames[name] ?? name), h('td', {}, okBadge(c.ok !== false)), h('td', {}, String(detail ?? ''))));
  }
  const sb = s.sandbox;
  const refresh = h('button', { type: 'button', onclick: () => statusView().catch(showError) }, t.refresh);
  shell('status',
    h('p', { class: 'overall' }, t.overall, ' ', h('span', { class: s.status === 'ok' ? 'badge ok' : 'badge bad' }, s.status === 'ok' ? t.healthy : t.degraded), ' ', refresh),
    table(t.healthChecks, [t.part, t.state, t.details], checks, ''),
    h('div', { class: 'cards' },
      h('section', { class: 'card', 'aria-labelledby': 'h-queue' }, h('h2', { id: 'h-queue' }, t.gradingQueue),
        dl([[t.gradingActive, `${s.grading.active} / ${s.grading.max_active}`], [t.gradingWaiting, String(s.grading.waiting)], [t.outboxBacklog, String(s.outbox.backlog)]])),
      h('section', { class: 'card', 'aria-labelledby': 'h-pool' }, h('h2', { id: 'h-pool' }, t.sandboxPool),
        sb ? dl([[t.poolSize, String(sb.pool_size)], [t.poolBusy, String(sb.busy)], [t.poolWaiting, String(sb.waiting)], [t.poolRuns, String(sb.runs)],
          [t.poolReplacements, String(sb.replacements)], [t.poolStartFailures, String(sb.start_failures)], [t.cgroup, String(sb.cgroup)]])
          : h('p', { class: 'error' }, t.runnerDown))));
}

// `done`, when given, is shown as the outcome of the action that led here.
async function pluginsView(done?: string): Promise<void> {
  const { data } = await api('GET', '/api/v1/plugins');
  const out = notice();
  if (done) out.show(done, false);
  const rows = (data.plugins ?? []).map((p: any) => {
    const act = (what: string) => async () => {
      try {
        const { data: after } = await api('POST', what === 'reload' ? '/api/v1/plugins/load' : `/api/v1/plugins/${encodeURIComponent(p.name)}/${what}`, what === 'reload' ? { name: p.name } : undefined);
        await pluginsView(t.pluginDone[what](after.name, after.version));
      } catch (e) {
        out.show(errorText(e), true);
      }
    };
    return h('tr', {},
      h('th', { scope: 'row' }, p.name),
      h('td', {}, p.version), h('td', {}, (p.kinds ?? []).map((k: string) => t.kinds[k] ?? k).join(', ')),
      h('td', {}, h('span', { class: p.state === 'enabled' ? 'badge ok' : p.state === 'failed' ? 'badge bad' : 'badge' }, t.pluginStates[p.state] ?? p.state),
        p.last_error ? h('div', { class: 'error small' }, p.last_error) : null),
      h('td', {}, h('div', { class: 'row-actions' },
        p.state === 'enabled'
          ? h('button', { type: 'button', 'aria-label': `${t.disable} ${p.name}`, onclick: act('disable') }, t.disable)
          : h('button', { type: 'button', 'aria-label': `${t.enable} ${p.name}`, onclick: act('enable') }, t.enable),
        h('button', { type: 'button', 'aria-label': `${t.reload} ${p.name}`, onclick: act('reload') }, t.reload))));
  });
  const path = formField('plugin-path', t.pluginPath, h('input', { required: true, class: 'mono', spellcheck: 'false' }), t.pluginPathHint);
  const load = h('form', { class: 'inline-form' }, path.row, h('button', { type: 'submit' }, t.loadPlugin));
  load.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const { data: loaded } = await api('POST', '/api/v1/plugins/load', { path: path.input.value });
      await pluginsView(t.pluginDone.load(loaded.name, loaded.version));
    } catch (e) {
      out.show(errorText(e), true);
    }
  });
  shell('plugins', out.el, table(t.admin.plugins, [t.name, t.version, t.kind, t.state, t.actions], rows, t.noPlugins),
    h('h2', {}, t.loadPluginTitle), h('p', { class: 'muted' }, t.loadPluginHelp), load);
}

async function ltiView(): Promise<void> {
  const { data } = await api('GET', '/api/v1/lti/platforms');
  const out = notice();
  const rows = (data.platforms ?? []).map((p: any) => h('tr', {},
    h('th', { scope: 'row' }, p.name || p.issuer),
    h('td', { class: 'mono small' }, p.issuer), h('td', { class: 'mono small' }, p.client_id),
    h('td', { class: 'mono small' }, (p.deployment_ids ?? []).join(', ')),
    h('td', {}, h('button', { type: 'button', class: 'link danger', 'aria-label': `${t.delete} ${p.name || p.issuer}`, onclick: async () => {
      if (!confirm(t.confirmDeletePlatform(p.name || p.issuer))) return;
      try {
        await api('DELETE', `/api/v1/lti/platforms/${p.id}`);
        await ltiView();
      } catch (e) {
        out.show(errorText(e), true);
      }
    } }, t.delete))));

  // Dynamic registration: a one-time URL to paste into the LMS.
  const regOut = h('div', { role: 'status', 'aria-live': 'polite' });
  const regBtn = h('button', { type: 'button', class: 'primary' }, t.makeRegistrationUrl);
  regBtn.addEventListener('click', async () => {
    try {
      const { data: r } = await api('POST', '/api/v1/lti/registration-url');
      const field = formField('registration-url', t.registrationUrl, h('input', { value: r.url, readonly: true, class: 'mono wide' }));
      clear(regOut, field.row, h('div', { class: 'actions' }, copyButton(() => r.url, t.copy)), h('p', { class: 'muted' }, t.registrationExpires(when(r.expires_at))));
      field.input.select();
    } catch (e) {
      clear(regOut, h('p', { class: 'error' }, errorText(e)));
    }
  });

  // Manual registration.
  const f = {
    name: formField('p-name', t.platformName, h('input', { maxlength: 200 }), t.platformNameHint),
    issuer: formField('p-issuer', t.issuer, h('input', { type: 'url', required: true, class: 'mono' }), t.issuerHint),
    client: formField('p-client', t.clientId, h('input', { required: true, class: 'mono' })),
    deployments: formField('p-deployments', t.deploymentIds, h('input', { class: 'mono' }), t.deploymentIdsHint),
    login: formField('p-login', t.authLoginUrl, h('input', { type: 'url', required: true, class: 'mono' })),
    token: formField('p-token', t.tokenUrl, h('input', { type: 'url', required: true, class: 'mono' })),
    jwks: formField('p-jwks', t.jwksUrl, h('input', { type: 'url', required: true, class: 'mono' })),
  };
  const form = h('form', { class: 'form' }, ...Object.values(f).map((x) => x.row), h('button', { type: 'submit', class: 'primary' }, t.addPlatform));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/api/v1/lti/platforms', {
        name: f.name.input.value, issuer: f.issuer.input.value, client_id: f.client.input.value,
        deployment_ids: f.deployments.input.value.split(/[\s,]+/).filter(Boolean),
        auth_login_url: f.login.input.value, token_url: f.token.input.value, jwks_url: f.jwks.input.value,
      });
      await ltiView();
      const n = document.querySelector('.notice');
      if (n) (n.textContent = t.platformAdded), (n.className = 'notice ok');
    } catch (e) {
      out.show(errorText(e), true);
    }
  });
  const origin = location.origin;
  shell('lti', out.el,
    table(t.platforms, [t.name, t.issuer, t.clientId, t.deploymentIds, t.actions], rows, t.noPlatforms),
    h('section', { class: 'panel', 'aria-labelledby': 'h-dynreg' }, h('h2', { id: 'h-dynreg' }, t.dynamicRegistration), h('p', {}, t.dynamicRegistrationHelp), regBtn, regOut),
    h('section', { 'aria-labelledby': 'h-toolurls' }, h('h2', { id: 'h-toolurls' }, t.toolUrls), h('p', { class: 'muted' }, t.toolUrlsHelp),
      dl([[t.loginUrl, h('code', {}, origin + '/lti/login')], [t.launchUrl, h('code', {}, origin + '/lti/launch')], [t.toolJwks, h('code', {}, origin + '/lti/jwks')]])),
    h('section', { 'aria-labelledby': 'h-manual' }, h('h2', { id: 'h-manual' }, t.manualRegistration), h('p', { class: 'muted' }, t.manualRegistrationHelp), form));
}

async function lrsView(): Promise<void> {
  const out = notice();
  let creds: any[] = [], targets: any[] = [];
  try {
    [{ data: creds }, { data: targets }] = await Promise.all([api('GET', '/api/v1/lrs/credentials'), api('GET', '/api/v1/lrs/targets')]);
  } catch (e) {
    return shell('lrs', missing(e));
  }
  const del = (path: string, name: string) => h('button', { type: 'button', class: 'link danger', 'aria-label': `${t.delete} ${name}`, onclick: async () => {
    if (!confirm(t.confirmDelete(name))) return;
    try {
      await api('DELETE', path);
      await lrsView();
    } catch (e) {
      out.show(errorText(e), true);
    }
  } }, t.delete);
  const credRows = creds.map((c) => h('tr', {}, h('th', { scope: 'row' }, c.name), h('td', { class: 'mono small' }, c.key),
    h('td', {}, (c.scopes ?? []).join(' ')), h('td', {}, when(c.created_at)), h('td', {}, del(`/api/v1/lrs/credentials/${c.id}`, c.name))));
  const targetRows = targets.map((x) => h('tr', {}, h('th', { scope: 'row' }, x.name), h('td', { class: 'mono small' }, x.endpoint),
    h('td', {}, x.username), h('td', { class: 'small' }, (x.verbs ?? []).length ? x.verbs.join(' ') : t.allStatements), h('td', {}, del(`/api/v1/lrs/targets/${x.id}`, x.name))));

  const secretBox = h('div', { role: 'status', 'aria-live': 'polite' });
  const cname = formField('c-name', t.name, h('input', { required: true, maxlength: 200 }));
  const scopes = formField('c-scopes', t.scopes, h('input', { value: 'statements/write statements/read', class: 'mono' }), t.scopesHint);
  const credForm = h('form', { class: 'inline-form' }, cname.row, scopes.row, h('button', { type: 'submit' }, t.addCredential));
  credForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const { data: c } = await api('POST', '/api/v1/lrs/credentials', { name: cname.input.value, scopes: scopes.input.value.split(/\s+/).filter(Boolean) });
      await lrsView();
      // The secret exists only in this answer: show it once, with copy buttons.
      const box = document.getElementById('secret-box');
      if (box) clear(box, h('div', { class: 'panel secret' },
        h('p', { class: 'warn' }, t.secretOnce),
        dl([[t.lrsEndpoint, h('code', {}, location.origin + '/xapi/')], [t.key, h('code', { id: 'new-key' }, c.key)], [t.secret, h('code', { id: 'new-secret' }, c.secret)]]),
        h('div', { class: 'actions' }, copyButton(() => c.key, t.copyKey), copyButton(() => c.secret, t.copySecret))));
    } catch (e) {
      out.show(errorText(e), true);
    }
  });
  secretBox.id = 'secret-box';

  const tf = {
    name: formField('tg-name', t.name, h('input', { required: true, maxlength: 200 })),
    endpoint: formField('tg-endpoint', t.lrsTargetEndpoint, h('input', { type: 'url', required: true, class: 'mono' }), t.lrsTargetEndpointHint),
    username: formField('tg-user', t.username, h('input', { autocomplete: 'off' })),
    password: formField('tg-pass', t.password, h('input', { type: 'password', autocomplete: 'new-password' })),
    verbs: formField('tg-verbs', t.verbs, h('input', { class: 'mono' }), t.verbsHint),
  };
  const targetForm = h('form', { class: 'form' }, ...Object.values(tf).map((x) => x.row), h('button', { type: 'submit' }, t.addTarget));
  targetForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/api/v1/lrs/targets', { name: tf.name.input.value, endpoint: tf.endpoint.input.value, username: tf.username.input.value,
        password: tf.password.input.value, verbs: tf.verbs.input.value.split(/\s+/).filter(Boolean) });
      await lrsView();
    } catch (e) {
      out.show(errorText(e), true);
    }
  });
  shell('lrs', out.el,
    h('section', { 'aria-labelledby': 'h-creds' }, h('h2', { id: 'h-creds' }, t.lrsCredentials), h('p', { class: 'muted' }, t.lrsCredentialsHelp(location.origin + '/xapi/')),
      table(t.lrsCredentials, [t.name, t.key, t.scopes, t.createdAt, t.actions], credRows, t.none), secretBox, credForm),
    h('section', { 'aria-labelledby': 'h-targets' }, h('h2', { id: 'h-targets' }, t.lrsTargets), h('p', { class: 'muted' }, t.lrsTargetsHelp),
      table(t.lrsTargets, [t.name, t.lrsTargetEndpoint, t.username, t.verbs, t.actions], targetRows, t.none), targetForm));
}

async function usersView(): Promise<void> {
  const { data } = await api('GET', '/api/v1/users');
  const out = notice();
  const me = currentUser();
  const rows = (data.users ?? []).map((u: any) => {
    const self = me?.id === u.id;
    const role = h('select', { 'aria-label': t.roleOf(u.username), disabled: self }, ...['student', 'instructor', 'admin'].map((r) => h('option', { value: r, selected: r === u.role }, t.roles[r])));
    role.addEventListener('change', async () => {
      try {
        await api('PUT', `/api/v1/users/${u.id}`, { role: role.value });
        out.show(t.saved, false);
      } catch (e) {
        out.show(errorText(e), true);
        role.value = u.role;
      }
    });
    const active = h('input', { type: 'checkbox', checked: !u.disabled, disabled: self, 'aria-label': t.activeOf(u.username) });
    active.addEventListener('change', async () => {
      try {
        await api('PUT', `/api/v1/users/${u.id}`, { disabled: !active.checked });
        out.show(t.saved, false);
      } catch (e) {
        out.show(errorText(e), true);
        active.checked = !u.disabled;
      }
    });
    return h('tr', {}, h('th', { scope: 'row' }, u.username), h('td', {}, u.display_name), h('td', {}, u.email), h('td', {}, role), h('td', {}, active));
  });
  const f = {
    username: formField('u-name', t.username, h('input', { required: true, autocomplete: 'off' })),
    display: formField('u-display', t.displayName, h('input', {})),
    email: formField('u-email', t.email, h('input', { type: 'email' })),
    role: formField('u-role', t.role, h('select', {}, ...['student', 'instructor', 'admin'].map((r) => h('option', { value: r }, t.roles[r])))),
    password: formField('u-password', t.initialPassword, h('input', { type: 'password', autocomplete: 'new-password', minlength: 10 }), t.initialPasswordHint),
  };
  const form = h('form', { class: 'form' }, ...Object.values(f).map((x) => x.row), h('button', { type: 'submit', class: 'primary' }, t.addUser));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body: Record<string, string> = { username: f.username.input.value, role: f.role.input.value };
    if (f.display.input.value) body.display_name = f.display.input.value;
    if (f.email.input.value) body.email = f.email.input.value;
    if (f.password.input.value) body.password = f.password.input.value;
    try {
      await api('POST', '/api/v1/users', body);
      await usersView();
    } catch (e) {
      out.show(errorText(e), true);
    }
  });
  shell('users', out.el, table(t.admin.users, [t.username, t.displayName, t.email, t.role, t.active], rows, t.none),
    h('h2', {}, t.addUser), form);
}

function showError(e: unknown): void {
  mainArea().prepend(h('p', { class: 'error', role: 'alert' }, errorText(e)));
}

export async function adminPage(view: string): Promise<void> {
  const v = (VIEWS as string[]).includes(view) ? (view as View) : 'status';
  if (v === 'status') return statusView();
  if (v === 'plugins') return pluginsView();
  if (v === 'lti') return ltiView().catch((e) => shell('lti', missing(e)));
  if (v === 'lrs') return lrsView();
  return usersView();
}
