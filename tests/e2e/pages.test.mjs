// End-to-end test of the pages in Debian's headless Chromium against a real appliance:
// a student signs in, opens the demo "greeting" assignment, runs and submits a correct
// solution, a wrong one (diff shown) and an endless loop (time limit); the draft survives a
// reload; the history shows each run's code; the page works in an iframe on another origin;
// the instructor sees the results table, the chart and a student's runs.
// Usage: node pages.test.mjs --binary-dir B --source-dir S --modules DIR/node_modules --artifacts DIR
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Appliance, ApiClient, freePort } from './appliance.mjs';
import { setEditor, runCode as run } from './harness.mjs';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
for (const k of ['binary-dir', 'source-dir', 'modules', 'artifacts'])
  if (!args[k]) throw new Error(`missing --${k}`);
const { chromium } = createRequire(path.join(args.modules, 'noop.js'))('playwright-core');
fs.rmSync(args.artifacts, { recursive: true, force: true });
fs.mkdirSync(args.artifacts, { recursive: true });

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STUDENT = { username: 'ada', password: 'student-password-1' };
const CORRECT = 'name = input().strip()\nprint(f"Hello, {name}!")\n';
const WRONG = 'name = input()\nprint("Hi " + name)\n';
const ENDLESS = 'while True:\n    pass\n';

const step = (msg) => console.log(`[e2e] ${msg}`);

async function main() {
  const framePort = await freePort();
  const frameOrigin = `http://127.0.0.1:${framePort}`;
  const app = new Appliance({ binaryDir: args['binary-dir'], sourceDir: args['source-dir'], frameAncestors: `'self' ${frameOrigin}` });
  let browser;
  let frameServer;
  let profile;
  let passed = false;
  try {
    step(`starting the appliance in ${app.dir}`);
    await app.start();
    const admin = new ApiClient(app.base);
    await admin.login('admin', app.adminPassword);
    const { courses } = await admin.call('GET', '/api/v1/courses');
    const demo = courses.find((c) => c.code === 'DEMO');
    assert.ok(demo, 'the demo course exists');
    const { assignments } = await admin.call('GET', `/api/v1/courses/${demo.id}/assignments`);
    const greeting = assignments.find((a) => a.slug === 'greeting');
    assert.ok(greeting, 'the greeting assignment exists');
    const student = await admin.call('POST', '/api/v1/users', { username: STUDENT.username, role: 'student', display_name: 'Ada Lovelace', password: STUDENT.password });
    await admin.call('PUT', `/api/v1/courses/${demo.id}/members/${student.id}`, { role: 'student' });

    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-e2e-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 },
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(30000);
    const consoleErrors = [];
    // Failed requests are checked below by address; the console must show nothing else.
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    const failed = [];
    browser.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`); });
    const shot = (name) => page.screenshot({ path: path.join(args.artifacts, `${name}.png`), fullPage: true });

    step('sign in as a student through the sign-in page');
    await page.goto(`${app.base}/app/`);
    await page.waitForURL(/\/app\/login/);
    await page.getByLabel('Username').fill(STUDENT.username);
    await page.getByLabel('Password').fill('wrong-password-0');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not right' }).waitFor();
    await page.getByLabel('Password').fill(STUDENT.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My courses' }).waitFor();
    await shot('01-courses');

    step('open the greeting assignment from the course list');
    await page.getByRole('link', { name: 'Greet the user' }).click();
    await page.waitForURL(new RegExp(`/app/assignments/${greeting.id}$`));
    await page.getByRole('heading', { name: 'Greet the user', level: 1 }).waitFor();
    assert.match(await page.locator('.statement').innerText(), /Hello, NAME!/);
    assert.ok(await page.locator('.cm-editor .cm-lineNumbers').count(), 'the editor shows line numbers');
    await shot('02-exercise');

    step('run a correct solution');
    await setEditor(page, CORRECT);
    let answer = await run(page, 'run');
    assert.equal(answer.kind, 'run');
    let tests = page.locator('.feedback li.test');
    assert.equal(await tests.count(), 2, 'the two visible tests are listed');
    assert.equal(await page.locator('.feedback li.test.passed').count(), 2);
    assert.match(await page.locator('.feedback .score').innerText(), /Score: 10 \/ 10/);
    assert.match(await page.locator('.feedback').innerText(), /greets Ada/);
    await shot('03-run-correct');

    step('submit it and see the grade');
    answer = await run(page, 'submit');
    assert.equal(answer.kind, 'submit');
    assert.match(await page.locator('.feedback .score').innerText(), /Grade submitted: 10 \/ 10/);
    await shot('04-submitted');

    step('run a wrong solution: the difference is shown');
    await setEditor(page, WRONG);
    // The pace counts from the server's answer, not from the grade: grading may outlast a short
    // pace, so the countdown is looked for as soon as the answer is in.
    answer = await run(page, 'run', async (body) => {
      if (body.next_run_in_s > 0) await page.locator('.pace').filter({ hasText: /Next run possible in \d+ s/ }).waitFor();
    });
    assert.equal(await page.locator('.feedback li.test.failed').count(), 2);
    const diff = await page.locator('.feedback pre.diff').first().innerText();
    assert.match(diff, /- Hello, Ada!/);
    assert.match(diff, /\+ Hi Ada/);
    await shot('05-run-wrong');

    if (answer.next_run_in_s > 0) {
      step(`the next run is paced: ${answer.next_run_in_s} s`);
      // Now that the run is graded, Run is disabled exactly while the countdown lasts (read in
      // one go: the countdown may end between two reads).
      const paced = await page.evaluate(() => ({ disabled: document.querySelector('#run').disabled, countdown: document.querySelector('.pace').textContent }));
      assert.equal(paced.disabled, paced.countdown !== '', `Run waits for the pace and no longer: ${JSON.stringify(paced)}`);
      if (paced.countdown) assert.match(paced.countdown, /^Next run possible in \d+ s$/);
      await shot('06-pace-countdown');
    }

    step('run an endless loop: time-limit feedback');
    await setEditor(page, ENDLESS);
    await run(page, 'run');
    assert.equal(await page.locator('.feedback li.test.passed').count(), 0);
    assert.match(await page.locator('.feedback .verdict').first().innerText(), /Time limit exceeded/);
    await shot('07-run-endless');

    step('reload: the draft is kept');
    await page.reload();
    await page.locator('.cm-content').waitFor();
    assert.match(await page.locator('.cm-content').innerText(), /while True:/);

    step('history: every run with its code');
    const items = page.locator('ol.history > li');
    await items.nth(3).waitFor();
    assert.equal(await items.count(), 4, 'three runs and one submission');
    await page.getByRole('button', { name: 'Show: Run 1' }).click();
    await page.locator('.history-detail .score').waitFor();
    assert.match(await page.locator('.history-detail .run-code').innerText(), /Hello, \{name\}!/);
    await shot('08-history');

    step('the exercise page inside an iframe on another origin');
    frameServer = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>LMS</title><h1>Course site</h1>
<iframe title="Assay exercise" src="${app.base}/app/assignments/${greeting.id}" width="1200" height="800"></iframe>`);
    });
    await new Promise((r) => frameServer.listen(framePort, '127.0.0.1', r));
    const framed = await browser.newPage();
    await framed.goto(`${frameOrigin}/`);
    const frame = framed.frameLocator('iframe');
    await frame.getByRole('heading', { name: 'Greet the user', level: 1 }).waitFor();
    await frame.locator('.cm-content').waitFor();
    assert.match(await frame.locator('.cm-content').innerText(), /while True:/, 'the draft is there in the frame too');
    // The history comes with a request of its own, after the editor: wait for it before counting.
    await frame.locator('ol.history > li').nth(3).waitFor();
    assert.equal(await frame.locator('ol.history > li').count(), 4);
    await framed.screenshot({ path: path.join(args.artifacts, '09-iframe.png'), fullPage: true });
    await framed.close();

    step('the instructor sees the results, the chart and the runs');
    await browser.clearCookies();
    const ipage = await browser.newPage();
    ipage.on('pageerror', (e) => consoleErrors.push(String(e)));
    await ipage.goto(`${app.base}/app/login?next=/app/manage/assignments/${greeting.id}`);
    await ipage.getByLabel('Username').fill('admin');
    await ipage.getByLabel('Password').fill(app.adminPassword);
    await ipage.getByRole('button', { name: 'Sign in' }).click();
    await ipage.getByRole('table').waitFor();
    const row = ipage.getByRole('row', { name: /Ada Lovelace/ });
    const cells = await row.locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 3), ['10', '10', '4'], 'best, final and number of runs');
    assert.equal(await ipage.locator('svg.chart rect.bar').count(), 10);
    await ipage.getByRole('button', { name: 'Ada Lovelace' }).click();
    await ipage.locator('.history-detail li').nth(3).waitFor();
    await ipage.getByRole('button', { name: 'Run the reference solution' }).click();
    await ipage.locator('[role=status] .score').waitFor({ timeout: 90000 });
    assert.match(await ipage.locator('[role=status] .score').innerText(), /10 \/ 10/);
    const csvHref = await ipage.getByRole('link', { name: 'Download grades (CSV)' }).getAttribute('href');
    assert.ok(csvHref?.startsWith('blob:'));
    await ipage.screenshot({ path: path.join(args.artifacts, '10-instructor.png'), fullPage: true });

    assert.deepEqual(consoleErrors, [], 'no errors in the browser console');
    // Only the expected refusals: "who am I" before signing in, the wrong password, the icon.
    const unexpected = failed.filter((f) => !['401 /api/v1/auth/me', '401 /api/v1/auth/login', '404 /favicon.ico'].includes(f));
    assert.deepEqual(unexpected, [], 'no failed requests');
    step(`passed; screenshots in ${args.artifacts}`);
    passed = true;
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    if (frameServer) frameServer.close();
    await app.stop({ keep: !passed });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
