// End-to-end test of the administrator's pages against a real appliance: system status (health,
// grading queue, the runner's sandbox pool), plugins (disable, enable, reload), users and roles,
// LRS credentials (the secret shown once) and forwarding targets, and an LMS platform: the
// dynamic-registration URL with its copy button, and a platform added by hand.
// Usage: node admin.test.mjs --binary-dir B --source-dir S --modules DIR/node_modules --artifacts DIR
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseArgs, step, story, signIn, assertLabelled } from './harness.mjs';

const args = parseArgs();

// The one refusal this test asks for: loading a plugin from a path that does not exist.
story(args, { allowed: (status, p) => status === 404 && p === '/api/v1/plugins/load' }, async ({ app, admin, page, shot }) => {
  step('the administrator signs in and opens the system status');
  await signIn(page, app.base, 'admin', app.adminPassword);
  // The course list of an administrator: every course, as links to its page.
  await page.getByRole('link', { name: /\(DEMO\)$/ }).waitFor();
  await shot('00-home');
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('heading', { name: 'System status', level: 1 }).waitFor();
  assert.match(await page.getByRole('row', { name: /Database/ }).innerText(), /OK/);
  assert.match(await page.getByRole('row', { name: /Sandbox runner/ }).innerText(), /OK/);
  const pool = await page.getByRole('region', { name: 'Sandbox pool' }).innerText();
  assert.match(pool, /Containers\s+2/, 'the runner was started with a pool of two');
  assert.match(await page.getByRole('region', { name: 'Grading queue' }).innerText(), /Waiting\s+0/);
  await assertLabelled(page, 'the status page');
  await shot('01-status');

  step('plugins: disable, enable and reload the unittest grader');
  await page.getByRole('link', { name: 'Plugins' }).click();
  await page.getByRole('heading', { name: 'Plugins', level: 1 }).waitFor();
  const row = page.getByRole('row', { name: /assay\.grader\.unittest/ });
  assert.match(await row.innerText(), /enabled/);
  assert.match(await page.getByRole('row', { name: /assay\.grader\.io/ }).innerText(), /grader/);
  await page.getByRole('button', { name: 'Disable assay.grader.unittest' }).click();
  await page.getByRole('status').filter({ hasText: 'Disabled assay.grader.unittest' }).waitFor();
  await page.getByRole('button', { name: 'Enable assay.grader.unittest' }).waitFor();
  assert.equal((await admin.call('GET', '/api/v1/plugins/assay.grader.unittest')).state, 'disabled');
  await page.getByRole('button', { name: 'Enable assay.grader.unittest' }).click();
  await page.getByRole('button', { name: 'Disable assay.grader.unittest' }).waitFor();
  await page.getByRole('button', { name: 'Reload assay.grader.unittest' }).click();
  await page.getByRole('status').filter({ hasText: 'Reloaded assay.grader.unittest' }).waitFor();
  assert.equal((await admin.call('GET', '/api/v1/plugins/assay.grader.unittest')).state, 'enabled');
  // Loading by path: a missing file is refused with its reason; the installed manifest loads.
  await page.getByLabel('Path on the server').fill('/nonexistent/acme.grader.json');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.locator('.notice.error').filter({ hasText: 'plugin_' }).waitFor();
  await page.getByLabel('Path on the server').fill(path.join(args['binary-dir'], 'lib/assay/plugins/assay.grader.io.json'));
  // The io grader was loaded already, so its row is no sign of the answer: the notice is.
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /^Loaded assay\.grader\.io / }).waitFor();
  assert.equal(await page.locator('.notice.error').count(), 0);
  assert.match(await page.getByRole('row', { name: /assay\.grader\.io/ }).innerText(), /enabled/);
  await assertLabelled(page, 'the plugins page');
  await shot('02-plugins');

  step('users and roles');
  await page.getByRole('link', { name: 'Users and roles' }).click();
  await page.getByLabel('Username').fill('ines');
  await page.getByLabel('Display name').fill('Ines Instructor');
  await page.getByLabel('Role', { exact: true }).selectOption('student');
  await page.getByLabel('Initial password').fill('ines-password-1');
  await page.getByRole('button', { name: 'Add a user' }).click();
  await page.getByRole('row', { name: /Ines Instructor/ }).waitFor();
  const saved = () => page.waitForResponse((r) => r.request().method() === 'PUT' && /\/api\/v1\/users\/\d+$/.test(r.url()) && r.ok());
  await Promise.all([saved(), page.getByLabel('Role of ines').selectOption('instructor')]);
  await Promise.all([saved(), page.getByLabel('ines may sign in').uncheck()]);
  await page.getByText('Saved.').waitFor();
  const ines = (await admin.call('GET', '/api/v1/users')).users.find((u) => u.username === 'ines');
  assert.equal(ines.role, 'instructor');
  assert.equal(ines.disabled, true);
  await assertLabelled(page, 'the users page');
  await shot('03-users');

  step('LRS: credentials (the secret is shown once) and a forwarding target');
  await page.getByRole('link', { name: 'LRS (xAPI)' }).click();
  await page.getByRole('heading', { name: 'LRS (xAPI)', level: 1 }).waitFor();
  await page.getByLabel('Name', { exact: true }).first().fill('moodle-lrs-client');
  await page.getByRole('button', { name: 'Add credentials' }).click();
  await page.getByText('shown only this once').waitFor();
  const key = await page.locator('#new-key').innerText();
  const secret = await page.locator('#new-secret').innerText();
  assert.ok(key && secret.length >= 32);
  // The key and secret work against the LRS.
  const about = await fetch(`${app.base}/xapi/statements?limit=1`, {
    headers: { Authorization: 'Basic ' + Buffer.from(`${key}:${secret}`).toString('base64'), 'X-Experience-API-Version': '1.0.3' } });
  assert.equal(about.status, 200);
  await page.getByRole('button', { name: 'Copy secret' }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  await shot('04-lrs-credentials');
  await page.getByLabel('Endpoint').fill('https://lrs.example.edu/xapi/');
  await page.getByLabel('Name', { exact: true }).nth(1).fill('campus LRS');
  await page.getByLabel('Username').fill('assay');
  await page.getByLabel('Password').fill('lrs-password');
  await page.getByRole('button', { name: 'Add LRS' }).click();
  await page.getByRole('row', { name: /campus LRS/ }).waitFor();
  assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');
  assert.equal(await page.getByText('lrs-password').count(), 0);
  await assertLabelled(page, 'the LRS page');
  // Deleting asks first; the target is gone afterwards.
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Delete campus LRS' }).click();
  await page.getByRole('row', { name: /campus LRS/ }).waitFor({ state: 'detached' });
  assert.equal((await admin.call('GET', '/api/v1/lrs/targets')).length, 0);

  step('LMS platforms: registration URL and a platform added by hand');
  await page.getByRole('link', { name: 'LMS platforms' }).click();
  await page.getByRole('button', { name: 'Make a registration URL' }).click();
  const url = await page.getByLabel('Registration URL').inputValue();
  assert.match(url, new RegExp(`^${app.base}/lti/register\\?token=[A-Za-z0-9_-]{20,}$`));
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  await shot('05-registration-url');
  await page.getByLabel('Name', { exact: true }).fill('University Moodle');
  await page.getByLabel('Issuer (platform id)').fill('https://moodle.example.edu');
  await page.getByLabel('Client id').fill('assay-client-1');
  await page.getByLabel('Deployment ids').fill('1, 2');
  await page.getByLabel('Authentication request URL').fill('https://moodle.example.edu/mod/lti/auth.php');
  await page.getByLabel('Access token URL').fill('https://moodle.example.edu/mod/lti/token.php');
  await page.getByLabel('Public keyset URL of the platform').fill('https://moodle.example.edu/mod/lti/certs.php');
  await page.getByRole('button', { name: 'Add platform' }).click();
  await page.getByRole('row', { name: /University Moodle/ }).waitFor();
  const { platforms } = await admin.call('GET', '/api/v1/lti/platforms');
  assert.equal(platforms.length, 1);
  assert.deepEqual(platforms[0].deployment_ids, ['1', '2']);
  assert.equal(platforms[0].client_id, 'assay-client-1');
  await assertLabelled(page, 'the LMS page');
  await shot('06-lms-platforms');
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Delete University Moodle' }).click();
  await page.getByText('No LMS is registered yet.').waitFor();
  assert.equal((await admin.call('GET', '/api/v1/lti/platforms')).platforms.length, 0);

  step('keyboard: the skip link comes first');
  await page.reload();
  await page.getByRole('heading', { name: 'LMS platforms', level: 1 }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
});
