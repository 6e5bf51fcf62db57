// End-to-end test of the instructor's pages against a real appliance: an instructor creates a
// course, enrols a student, writes an assignment in the form (statement, starter, solution,
// tests, limits), checks the reference solution and publishes it; imports a bundle zip and saves
// an edit as a new version; and, after the student has run code, sees the student's runs and the
// distribution chart.
// Usage: node instructor.test.mjs --binary-dir B --source-dir S --modules DIR/node_modules --artifacts DIR
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ApiClient } from './appliance.mjs';
import { parseArgs, step, story, signIn, assertLabelled, exportDemo } from './harness.mjs';

const args = parseArgs();
const TEACHER = { username: 'tina', password: 'teacher-password-1' };
const STUDENT = { username: 'sam', password: 'student-password-1' };
const SOLUTION = 'a, b = map(int, input().split())\nprint(a + b)\n';

story(args, {}, async ({ app, admin, page, shot }) => {
  await admin.call('POST', '/api/v1/users', { username: TEACHER.username, role: 'instructor', display_name: 'Tina Teacher', password: TEACHER.password });
  const sam = await admin.call('POST', '/api/v1/users', { username: STUDENT.username, role: 'student', display_name: 'Sam Student', password: STUDENT.password });
  const zipPath = await exportDemo(app, admin);

  step('the instructor signs in and creates a course');
  await signIn(page, app.base, TEACHER.username, TEACHER.password);
  await page.getByRole('heading', { name: 'New course' }).waitFor();
  await page.getByLabel('Course code').fill('PY1');
  await page.getByLabel('Course title').fill('Python, first steps');
  await page.getByRole('button', { name: 'Create course' }).click();
  await page.waitForURL(/\/app\/manage\/courses\/\d+$/);
  const courseUrl = page.url();
  await page.getByRole('heading', { name: 'Python, first steps', level: 1 }).waitFor();

  step('enrol the student');
  await page.getByLabel('User id').fill(String(sam.id));
  await page.getByRole('button', { name: 'Enrol' }).click();
  await page.getByRole('row', { name: /Sam Student/ }).waitFor();
  await assertLabelled(page, 'the course page');
  await shot('01-course');

  step('write an assignment in the form');
  await page.getByRole('link', { name: 'New assignment' }).click();
  await page.getByRole('heading', { name: 'New assignment', level: 1 }).waitFor();
  await page.getByLabel('Identifier').fill('sum-two');
  await page.getByLabel('Title', { exact: true }).fill('Add two numbers');
  await page.getByLabel('Statement (Markdown)').fill('# Add two numbers\n\nRead two integers on one line and print their **sum**.\n\n```python\n2 3\n```\n');
  await page.getByRole('button', { name: 'Preview' }).click();
  assert.match(await page.locator('#statement-preview strong').innerText(), /sum/);
  await page.getByLabel('Maximum score').fill('20');
  await page.getByLabel('CPU time (s)').fill('1');
  await page.getByLabel('Pace of practice runs (seconds)').fill('0 0 0 2');
  await page.getByLabel('Skills').fill('input, arithmetic');
  const starter = page.getByRole('group', { name: 'Starter files' });
  await starter.getByLabel('Content of main.py').fill('# read two numbers and print their sum\n');
  await page.getByRole('group', { name: 'Reference solution' }).getByLabel('Content of main.py').fill(SOLUTION);
  const t1 = page.getByRole('group', { name: /^Test 1/ });
  await t1.getByLabel('Name', { exact: true }).fill('small numbers');
  await t1.getByLabel('Standard input').fill('2 3\n');
  await t1.getByLabel('Expected output').fill('5\n');
  // A second test, added with the keyboard: focus goes to its first field.
  await page.getByRole('button', { name: 'Add a test' }).focus();
  await page.keyboard.press('Enter');
  const t2 = page.getByRole('group', { name: /^Test 2/ });
  assert.equal(await t2.getByLabel('Name', { exact: true }).evaluate((el) => el === document.activeElement), true, 'focus moves to the new test');
  await page.keyboard.type('negative numbers');
  await t2.getByLabel('Standard input').fill('-4 1\n');
  await t2.getByLabel('Expected output').fill('-3\n');
  await t2.getByLabel('Hidden from students').check();
  await t2.getByLabel('Feedback when it fails').fill('Do negative numbers work?');
  await assertLabelled(page, 'the assignment form');
  await shot('02-assignment-form');
  await page.getByRole('button', { name: 'Create assignment' }).click();
  await page.waitForURL(/\/app\/manage\/assignments\/\d+\/edit$/);
  const sumId = Number(/assignments\/(\d+)\/edit/.exec(page.url())[1]);
  await page.getByText('Created. Check the reference solution').waitFor();
  assert.match(await page.locator('#assignment-state').innerText(), /Draft/);

  step('check the reference solution and publish');
  await page.getByRole('button', { name: 'Check and publish version 1' }).click();
  await page.getByText('Version 1 is published').waitFor({ timeout: 90000 });
  assert.match(await page.locator('.check-out').innerText(), /passes every test/);
  assert.match(await page.locator('.check-out .score').innerText(), /20 \/ 20/);
  assert.match(await page.locator('#assignment-state').innerText(), /Published \(version 1\)/);
  await assertLabelled(page, 'the assignment page after publishing');
  await shot('03-checked-and-published');
  const saved = (await admin.call('GET', `/api/v1/assignments/${sumId}`)).content;
  assert.equal(saved.manifest.tests[1].hidden, true);
  assert.equal(saved.manifest.limits.time_s, 1);
  assert.deepEqual(saved.manifest.pace, { seconds: [0, 0, 0, 2] });
  assert.deepEqual(saved.manifest.skills, ['input', 'arithmetic']);
  assert.equal(saved.files['solution/main.py'], SOLUTION);

  step('export the assignment as a bundle zip');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export (zip)' }).click()]);
  assert.equal(download.suggestedFilename(), 'sum-two.zip');
  const exported = fs.readFileSync(await download.path());
  assert.equal(exported.subarray(0, 2).toString(), 'PK', 'a zip');
  assert.ok(exported.includes('assignment.json'));

  step('import a bundle zip, edit it and save a new version');
  await page.goto(courseUrl);
  await page.getByLabel('Bundle (.zip)').setInputFiles(zipPath);
  await page.getByRole('button', { name: 'Import a bundle' }).click();
  await page.waitForURL(/\/app\/manage\/assignments\/\d+\/edit\?imported=1$/);
  await page.getByText('Imported.').waitFor();
  assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), 'Greet the user');
  assert.equal(await page.getByRole('group', { name: /^Test 3/ }).getByLabel('Hidden from students').isChecked(), true);
  await page.getByLabel('Title', { exact: true }).fill('Greet the user politely');
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  await page.getByText('Saved as a new version').waitFor();
  await page.getByRole('button', { name: 'Check and publish version 2' }).waitFor();
  const courseId = /courses\/(\d+)/.exec(courseUrl)[1];
  const imported = (await admin.call('GET', `/api/v1/courses/${courseId}/assignments`)).assignments.find((a) => a.slug === 'greeting');
  assert.equal(imported.latest_version, 2);
  assert.equal(imported.title, 'Greet the user politely');
  // What the form does not show survives the edit: test files, pace, skills.
  const [v1, v2] = await Promise.all([1, 2].map(async (v) => (await admin.call('GET', `/api/v1/assignments/${imported.id}?version=${v}`)).content));
  assert.deepEqual(v2.manifest.tests, v1.manifest.tests);
  assert.deepEqual(v2.manifest.pace, v1.manifest.pace);
  assert.deepEqual(v2.manifest.skills, v1.manifest.skills);
  assert.deepEqual(v2.files, v1.files);

  step('import a bundle with unittest tests, save it from the form unchanged, check and publish');
  await page.goto(courseUrl);
  await page.getByLabel('Bundle (.zip)').setInputFiles(await exportDemo(app, admin, 'word-stats'));
  await page.getByRole('button', { name: 'Import a bundle' }).click();
  await page.waitForURL(/\/app\/manage\/assignments\/\d+\/edit\?imported=1$/);
  const wordStats = Number(/assignments\/(\d+)\/edit/.exec(page.url())[1]);
  assert.equal(await page.getByRole('group', { name: /^Test 1/ }).getByLabel('Type').inputValue(), 'unittest');
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  await page.getByText('Saved as a new version').waitFor();
  await page.getByRole('button', { name: 'Check and publish version 2' }).click();
  await page.getByText('Version 2 is published').waitFor({ timeout: 90000 });
  const ws = (await admin.call('GET', `/api/v1/assignments/${wordStats}?version=2`)).content;
  const ws1 = (await admin.call('GET', `/api/v1/assignments/${wordStats}?version=1`)).content;
  assert.deepEqual(ws.manifest, ws1.manifest);
  assert.deepEqual(ws.files, ws1.files);

  step('the student runs and submits code');
  const student = new ApiClient(app.base);
  await student.login(STUDENT.username, STUDENT.password);
  const wrong = await student.call('POST', `/api/v1/assignments/${sumId}/submissions?wait=60`, { kind: 'run', files: { 'main.py': 'print(5)\n' } });
  assert.equal(wrong.status, 'graded');
  const right = await student.call('POST', `/api/v1/assignments/${sumId}/submissions?wait=60`, { kind: 'submit', files: { 'main.py': SOLUTION } });
  assert.equal(right.status, 'graded');
  assert.equal(right.score, 20);

  step('the course list shows the assignments with their links');
  await page.goto(`${app.base}/app/`);
  await page.getByRole('link', { name: 'Edit Add two numbers' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Results of Greet the user politely' }).count(), 1);
  assert.match(await page.locator('section.course li', { hasText: 'Greet the user politely' }).innerText(), /draft/);
  await shot('05-home');

  step('the instructor sees the runs and the distribution');
  await page.goto(courseUrl);
  await page.getByRole('link', { name: 'Results of Add two numbers' }).click();
  // The course page has tables and a row for Sam Student too: only the results page's own
  // heading says that the table below is the results.
  await page.getByRole('heading', { name: 'Results: Add two numbers', level: 1 }).waitFor();
  assert.match(page.url(), new RegExp(`/app/manage/assignments/${sumId}$`));
  const row = page.getByRole('row', { name: /Sam Student/ });
  assert.deepEqual((await row.locator('td').allInnerTexts()).slice(0, 4), ['20', '20', '2', 'under 1 min'], 'best, final, number of runs and time spent');
  assert.equal(await page.locator('svg.chart rect.bar').count(), 10);
  assert.match(await page.locator('svg.chart title').textContent(), /18–20: 1/);
  await page.getByRole('button', { name: 'Sam Student' }).click();
  await page.locator('.history-detail li').nth(1).waitFor();
  await page.getByRole('button', { name: 'Show' }).first().click();
  await page.locator('.history-detail pre.code').first().waitFor();
  await assertLabelled(page, 'the results page');
  await shot('04-results');
});
