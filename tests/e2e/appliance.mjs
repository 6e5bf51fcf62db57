// Starts a real appliance for the browser tests: assay-runner (as root, socket shared with
// group nogroup) and assayd (switching to user nobody) on an ephemeral loopback port, with the
// demo course imported. Reads the administrator's one-time password from assayd's log.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what, check, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`${what} did not happen within ${ms} ms`);
}

function canConnect(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.on('connect', () => { c.destroy(); resolve(true); });
    c.on('error', () => resolve(false));
  });
}

export class Appliance {
  // extraConfig: more "key = value" lines for assay.conf (before any section).
  constructor({ binaryDir, sourceDir, frameAncestors = "'self'", extraConfig = [] }) {
    this.binaryDir = binaryDir;
    this.sourceDir = sourceDir;
    this.frameAncestors = frameAncestors;
    this.extraConfig = extraConfig;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-e2e-'));
    fs.chmodSync(this.dir, 0o777);
    this.procs = [];
  }

  log(name) {
    try {
      return fs.readFileSync(path.join(this.dir, name), 'utf8');
    } catch {
      return '';
    }
  }

  spawnLogged(bin, args, logName) {
    const fd = fs.openSync(path.join(this.dir, logName), 'a');
    const p = spawn(bin, args, { stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    this.procs.push(p);
    return p;
  }

  async start() {
    const socket = path.join(this.dir, 'runner.sock');
    fs.mkdirSync(path.join(this.dir, 'lxc'));
    this.spawnLogged(path.join(this.binaryDir, 'containers/assay-runner'),
      ['--socket', socket, '--pool', '2', '--lxc-path', path.join(this.dir, 'lxc'), '--group', 'nogroup'], 'runner.log');
    await waitFor('assay-runner socket', () => fs.existsSync(socket), 30000);

    this.port = await freePort();
    const conf = path.join(this.dir, 'assay.conf');
    fs.writeFileSync(conf, [
      `data_dir = ${this.dir}`,
      'user = nobody',
      `runner.socket = ${socket}`,
      `web.frame_ancestors = ${this.frameAncestors}`,
      ...this.extraConfig,
      // For working on the pages: serve a bundle from elsewhere without rebuilding assayd.
      ...(process.env.ASSAY_E2E_WEB_ROOT ? [`web.root = ${process.env.ASSAY_E2E_WEB_ROOT}`] : []),
      '[auth]',
      'pbkdf2_iterations = 1000',
      '',
    ].join('\n'));
    this.spawnLogged(path.join(this.binaryDir, 'core/assayd'), [
      '--config', conf, '--listen', `127.0.0.1:${this.port}`,
      '--plugins-dir', path.join(this.binaryDir, 'lib/assay/plugins'),
      '--demo-bundles', path.join(this.sourceDir, 'appliance/demo'),
    ], 'assayd.log');
    await waitFor('assayd listening', () => canConnect(this.port), 30000).catch((e) => {
      throw new Error(`${e.message}\n${this.log('assayd.log')}`);
    });
    await waitFor('one-time password in the log', () => this.log('assayd.log').includes('one-time password'), 10000);
    const out = this.log('assayd.log');
    const after = out.slice(out.indexOf('\n', out.indexOf('one-time password')));
    this.adminPassword = after.trim().split(/\s+/)[0];
    this.base = `http://127.0.0.1:${this.port}`;
  }

  // Stops assayd, then the runner. With `keep`, the data directory stays for a look at its
  // logs; otherwise it is removed, unless something is still mounted under it.
  async stop({ keep = false } = {}) {
    for (const p of this.procs.reverse()) {
      if (p.exitCode !== null) continue;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([exited, sleep(10000)]);
      if (p.exitCode === null) p.kill('SIGKILL');
    }
    if (keep) return;
    const mounted = fs.readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => (l.split(' ')[1] ?? '').startsWith(this.dir + '/'));
    if (mounted) console.error(`[e2e] ${this.dir} kept: something is still mounted under it`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// A tiny API client for setting things up: keeps the session cookie and the CSRF token.
export class ApiClient {
  constructor(base) {
    this.base = base;
    this.cookie = '';
    this.csrf = '';
  }

  async call(method, p, body) {
    const headers = { 'Content-Type': 'application/json' };
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    const res = await fetch(this.base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return data;
  }

  async login(username, password) {
    const r = await this.call('POST', '/api/v1/auth/login', { username, password });
    this.csrf = r.csrf_token;
    return r;
  }
}
