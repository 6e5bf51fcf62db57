// What the page tests share: arguments, Debian's Chromium through playwright-core, a watch on
// the console and on failed requests, screenshots, signing in and the code editor.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Appliance, ApiClient } from './appliance.mjs';

export function parseArgs() {
  const args = {};
  for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
  for (const k of ['binary-dir', 'source-dir', 'modules', 'artifacts'])
    if (!args[k]) throw new Error(`missing --${k}`);
  fs.rmSync(args.artifacts, { recursive: true, force: true });
  fs.mkdirSync(args.artifacts, { recursive: true });
  return args;
}

export const step = (msg) => console.log(`[e2e] ${msg}`);

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A browser profile of its own; every page opened in it reports console errors and failed
// requests into `problems`, except the refusals a test expects (`allowed(status, path)`).
export async function launchBrowser(args, allowed = () => false) {
  const { chromium } = createRequire(path.join(args.modules, 'noop.js'))('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const problems = [];
  const watch = (page) => {
    page.setDefaultTimeout(30000);
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  context.on('response', (r) => {
    const u = new URL(r.url());
    if (r.status() >= 400 && u.pathname !== '/favicon.ico' && !allowed(r.status(), u.pathname))
      problems.push(`${r.status()} ${r.request().method()} ${u.pathname}`);
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const shot = (name, p = page) => p.screenshot({ path: path.join(args.artifacts, `${name}.png`), fullPage: true });
  const close = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, problems, shot, close };
}

export async function signIn(page, base, username, password, next = '/app/') {
  await page.goto(`${base}/app/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/app/login'));
}

export async function setEditor(page, code) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

// Clicks Run (or Submit and its confirmation) and waits for that submission's feedback.
// `answered(body)`, when given, runs once the server has taken the submission and before it is
// graded: for what the page shows from the answer on (the pace countdown), not from the grade.
export async function runCode(page, kind, answered) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && /\/submissions$/.test(new URL(r.url()).pathname)
    && r.status() < 300, { timeout: 60000 });
  if (kind === 'run') {
    await page.locator('#run').click({ timeout: 60000 });
  } else {
    await page.locator('#submit').click();
    await page.locator('#confirm-submit').click();
  }
  const body = await (await posted).json();
  if (answered) await answered(body);
  await page.locator(`.feedback .result[data-id="${body.id}"][data-status=graded]`).waitFor({ timeout: 90000 });
  return body;
}

// Fails on any focusable control without an accessible name: every button, link and field of
// the pages must say what it is to a screen reader.
export async function assertLabelled(page, where) {
  const unnamed = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('main a[href], main button, main input, main select, main textarea')) {
      if (el.type === 'hidden' || el.closest('[hidden]') || el.closest('.cm-editor')) continue;
      const id = el.id;
      const label = (id && document.querySelector(`label[for="${CSS.escape(id)}"]`)) || el.closest('label');
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || label
        || (el.tagName !== 'INPUT' && el.tagName !== 'SELECT' && el.tagName !== 'TEXTAREA' && el.textContent.trim());
      if (!named) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
  if (unnamed.length) throw new Error(`controls without a name on ${where}:\n${unnamed.join('\n')}`);
  await assertContrast(page, where);
}

// Fails on visible text whose contrast with its background is below WCAG AA: 4.5:1, or 3:1 for
// large text (24 px, or 18.7 px bold). Disabled controls are exempt, as WCAG allows.
export async function assertContrast(page, where) {
  const low = await page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c;
      }
      return [255, 255, 255];
    };
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el || el.closest('.cm-editor, [hidden], :disabled, svg, .visually-hidden, .skip')) continue;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || Number(st.opacity) === 0) continue;
      const [a, b] = [lum(rgb(st.color)), lum(background(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(st.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(`${ratio.toFixed(2)}:1 "${n.textContent.trim().slice(0, 40)}" (${st.color} on ${background(el)})`);
    }
    return out;
  });
  if (low.length) throw new Error(`text with too little contrast on ${where}:\n${low.join('\n')}`);
}

// Runs one story: starts the appliance (with `config` lines), signs the API client in as the
// administrator, opens the browser, runs `body`, then checks that the browser saw no errors
// and no failed requests but those `allowed(status, path)` expects.
// On failure it leaves a screenshot "failure.png" and the end of assayd's log. Exits non-zero
// on failure.
export function story(args, { config = [], allowed = () => false }, body) {
  const run = async () => {
    const app = new Appliance({ binaryDir: args['binary-dir'], sourceDir: args['source-dir'], extraConfig: config });
    let browser;
    let passed = false;
    try {
      step(`starting the appliance in ${app.dir}`);
      await app.start();
      const admin = new ApiClient(app.base);
      await admin.login('admin', app.adminPassword);
      browser = await launchBrowser(args, allowed);
      await body({ app, admin, ...browser });
      assert.deepEqual(browser.problems, [], 'no console errors and no failed requests');
      step(`passed; screenshots in ${args.artifacts}`);
      passed = true;
    } catch (e) {
      if (browser) {
        await browser.shot('failure').catch(() => undefined);
        console.error(browser.problems.join('\n'));
      }
      console.error(app.log('assayd.log').split('\n').slice(-30).join('\n'));
      throw e;
    } finally {
      if (browser) await browser.close();
      await app.stop({ keep: !passed });
    }
  };
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

// A demo bundle ("greeting", "word-stats") as a zip file, exported through the API, for tests
// to import.
export async function exportDemo(app, admin, slug = 'greeting') {
  const { courses } = await admin.call('GET', '/api/v1/courses');
  const demo = courses.find((c) => c.code === 'DEMO');
  const greeting = (await admin.call('GET', `/api/v1/courses/${demo.id}/assignments`)).assignments.find((a) => a.slug === slug);
  const zip = await fetch(`${app.base}/api/v1/assignments/${greeting.id}/export`, { headers: { Cookie: admin.cookie } });
  if (zip.status !== 200) throw new Error(`export: ${zip.status}`);
  const file = path.join(app.dir, `${slug}.zip`);
  fs.writeFileSync(file, Buffer.from(await zip.arrayBuffer()));
  return file;
}
