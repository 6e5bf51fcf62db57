// End-to-end test of an LTI 1.3 launch as the way into the pages. The test plays the LMS: a
// small HTTP server on loopback with an RS256 key made by node's crypto, its JWKS, an OIDC
// authorization endpoint that answers with an auto-posting form carrying the signed id_token,
// an OAuth2 token endpoint that checks the tool's signed client assertion against the tool's
// JWKS, and an AGS line item that receives scores.
// The administrator registers the LMS in the admin pages. An instructor's launch creates the
// course and lands on its page, where the instructor imports a bundle, checks and publishes it.
// A student's launch from a link to that assignment lands on the exercise page: edit, Run,
// per-test feedback, Submit, the grade — and the grade arrives at the LMS.
// Usage: node lti.test.mjs --binary-dir B --source-dir S --modules DIR/node_modules --artifacts DIR
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { freePort } from './appliance.mjs';
import { parseArgs, step, story, signIn, setEditor, runCode, exportDemo, assertLabelled } from './harness.mjs';

const args = parseArgs();
const CLIENT_ID = 'assay-e2e-client';
const DEPLOYMENT = 'deployment-1';
const CORRECT = 'name = input().strip()\nprint(f"Hello, {name}!")\n';
const WRONG = 'name = input()\nprint("Hi " + name)\n';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const C = 'https://purl.imsglobal.org/spec/lti/claim/';
const AGS = 'https://purl.imsglobal.org/spec/lti-ags/';
const ROLE = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function parseJws(token) {
  const [h, p, s] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')), data: `${h}.${p}`, sig: Buffer.from(s, 'base64url') };
}

// The LMS: one course ("PY101"), two people, resource links set by the test.
class FakeLms {
  constructor(port, toolBase) {
    this.base = `http://127.0.0.1:${port}`;
    this.port = port;
    this.toolBase = toolBase;
    this.kid = 'lms-key-1';
    ({ publicKey: this.publicKey, privateKey: this.privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }));
    this.links = {};
    this.scores = [];
    this.tokens = new Set();
    this.assertionErrors = [];
    this.people = {
      teacher: { sub: 'lms-user-3', name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', email: 'ada@lms.example.edu', roles: [ROLE + 'Instructor'] },
      student: { sub: 'lms-user-17', name: 'Grace Hopper', given_name: 'Grace', family_name: 'Hopper', email: 'grace@lms.example.edu', roles: [ROLE + 'Learner'] },
    };
  }

  sign(claims) {
    const data = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }))}.${b64url(JSON.stringify(claims))}`;
    return `${data}.${b64url(crypto.sign('sha256', Buffer.from(data), this.privateKey))}`;
  }

  jwks() {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  idToken(person, linkId, nonce) {
    const link = this.links[linkId];
    const now = Math.floor(Date.now() / 1000);
    const p = this.people[person];
    return this.sign({
      iss: this.base, aud: CLIENT_ID, azp: CLIENT_ID, iat: now, exp: now + 300, nonce,
      sub: p.sub, name: p.name, given_name: p.given_name, family_name: p.family_name, email: p.email,
      [C + 'message_type']: 'LtiResourceLinkRequest', [C + 'version']: '1.3.0', [C + 'deployment_id']: DEPLOYMENT,
      [C + 'target_link_uri']: `${this.toolBase}/lti/launch`,
      [C + 'resource_link']: { id: linkId, title: link.title },
      [C + 'roles']: p.roles,
      [C + 'context']: { id: 'course-7', label: 'PY101', title: 'Programming in Python', type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] },
      [C + 'tool_platform']: { guid: 'lms.example.edu', name: 'Example LMS', product_family_code: 'e2e' },
      [C + 'launch_presentation']: { document_target: 'window', locale: 'en' },
      [C + 'custom']: link.custom ?? {},
      [AGS + 'claim/endpoint']: {
        scope: [AGS + 'scope/lineitem', AGS + 'scope/score', AGS + 'scope/result.readonly'],
        lineitem: `${this.base}/lineitems/${linkId}/lineitem`, lineitems: `${this.base}/lineitems`,
      },
    });
  }

  // The tool's client assertion (private_key_jwt) must verify with the tool's published key.
  async checkAssertion(form) {
    if (form.get('grant_type') !== 'client_credentials') return 'grant_type';
    const jws = parseJws(form.get('client_assertion') ?? '..');
    const { keys } = await (await fetch(`${this.toolBase}/lti/jwks`)).json();
    const jwk = keys.find((k) => k.kid === jws.header.kid);
    if (!jwk) return 'unknown kid';
    if (!crypto.verify('sha256', Buffer.from(jws.data), crypto.createPublicKey({ key: jwk, format: 'jwk' }), jws.sig)) return 'bad signature';
    if (jws.payload.iss !== CLIENT_ID || jws.payload.sub !== CLIENT_ID) return 'iss/sub';
    if (jws.payload.aud !== `${this.base}/token` && !(Array.isArray(jws.payload.aud) && jws.payload.aud.includes(`${this.base}/token`))) return 'aud';
    return '';
  }

  async handle(req, res) {
    const u = new URL(req.url, this.base);
    const body = await new Promise((r) => { let b = ''; req.on('data', (c) => (b += c)); req.on('end', () => r(b)); });
    const html = (s) => { res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }); res.end(s); };
    const json = (status, o) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(o)); };
    const autoPost = (action, fields) => html(`<!doctype html><title>LMS</title><body><form method="post" action="${escapeHtml(action)}">`
      + Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('')
      + '</form><script>document.forms[0].submit()</script></body>');
    if (u.pathname === '/jwks') return json(200, this.jwks());
    if (u.pathname === '/course/launch') {
      // The course page's link: third-party login initiation, posted to the tool.
      const person = u.searchParams.get('as');
      const link = u.searchParams.get('link');
      return autoPost(`${this.toolBase}/lti/login`, {
        iss: this.base, login_hint: person, lti_message_hint: link, target_link_uri: `${this.toolBase}/lti/launch`,
        client_id: CLIENT_ID, lti_deployment_id: DEPLOYMENT,
      });
    }
    if (u.pathname === '/auth') {
      const q = u.searchParams;
      const bad = ['scope', 'response_type', 'response_mode', 'prompt', 'client_id', 'redirect_uri', 'login_hint', 'state', 'nonce']
        .find((k) => !q.get(k));
      if (bad || q.get('scope') !== 'openid' || q.get('response_type') !== 'id_token' || q.get('response_mode') !== 'form_post'
        || q.get('client_id') !== CLIENT_ID || q.get('redirect_uri') !== `${this.toolBase}/lti/launch` || !this.people[q.get('login_hint')])
        return json(400, { error: 'invalid_request', field: bad });
      return autoPost(q.get('redirect_uri'), { id_token: this.idToken(q.get('login_hint'), q.get('lti_message_hint'), q.get('nonce')), state: q.get('state') });
    }
    if (u.pathname === '/token' && req.method === 'POST') {
      const why = await this.checkAssertion(new URLSearchParams(body));
      if (why) {
        this.assertionErrors.push(why);
        return json(401, { error: 'invalid_client', error_description: why });
      }
      const token = crypto.randomBytes(16).toString('hex');
      this.tokens.add(token);
      return json(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: new URLSearchParams(body).get('scope') });
    }
    const scores = /^\/lineitems\/([^/]+)\/lineitem\/scores$/.exec(u.pathname);
    if (scores && req.method === 'POST') {
      if (!this.tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return json(401, { error: 'unauthorized' });
      this.scores.push({ link: scores[1], contentType: req.headers['content-type'], score: JSON.parse(body) });
      res.writeHead(204);
      return res.end();
    }
    return json(404, { error: 'not found' });
  }

  listen() {
    this.server = http.createServer((req, res) => this.handle(req, res).catch((e) => json500(res, e)));
    return new Promise((r) => this.server.listen(this.port, '127.0.0.1', r));
  }
}

function json500(res, e) {
  res.writeHead(500, { 'Content-Type': 'text/plain' });
  res.end(String(e));
}

const lmsPort = await freePort();
// Plain http to the LMS on loopback is allowed in this test only.
story(args, { config: ['lti.allow_http = true'] }, async ({ app, admin, context, page, shot }) => {
  const lms = new FakeLms(lmsPort, app.base);
  await lms.listen();
  try {
    const zipPath = await exportDemo(app, admin);

    step('the administrator registers the LMS in the admin pages');
    await signIn(page, app.base, 'admin', app.adminPassword, '/app/admin/lti');
    await page.getByRole('heading', { name: 'LMS platforms', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Make a registration URL' }).click();
    assert.match(await page.getByLabel('Registration URL').inputValue(), /\/lti\/register\?token=/);
    await page.getByLabel('Name', { exact: true }).fill('Example LMS');
    await page.getByLabel('Issuer (platform id)').fill(lms.base);
    await page.getByLabel('Client id').fill(CLIENT_ID);
    await page.getByLabel('Deployment ids').fill(DEPLOYMENT);
    await page.getByLabel('Authentication request URL').fill(`${lms.base}/auth`);
    await page.getByLabel('Access token URL').fill(`${lms.base}/token`);
    await page.getByLabel('Public keyset URL of the platform').fill(`${lms.base}/jwks`);
    await page.getByRole('button', { name: 'Add platform' }).click();
    await page.getByRole('row', { name: /Example LMS/ }).waitFor();
    await shot('01-platform-registered');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/login/);
    await context.clearCookies();

    step('an instructor launches from the LMS: the course is created and its page opens');
    lms.links['link-setup'] = { title: 'Assay setup' };
    await page.goto(`${lms.base}/course/launch?as=teacher&link=link-setup`);
    await page.waitForURL(new RegExp(`^${app.base}/app/manage/courses/\\d+$`));
    await page.getByRole('heading', { name: 'Programming in Python', level: 1 }).waitFor();
    assert.match(await page.getByRole('navigation', { name: 'Account' }).innerText(), /Signed in as Ada Lovelace/);
    const courseId = Number(/courses\/(\d+)$/.exec(page.url())[1]);
    await shot('02-instructor-launch');

    step('the instructor imports the bundle, checks the reference solution and publishes');
    await page.getByLabel('Bundle (.zip)').setInputFiles(zipPath);
    await page.getByRole('button', { name: 'Import a bundle' }).click();
    await page.waitForURL(/\/app\/manage\/assignments\/\d+\/edit\?imported=1$/);
    const assignmentId = Number(/assignments\/(\d+)\/edit/.exec(page.url())[1]);
    await page.getByRole('button', { name: 'Check and publish version 1' }).click();
    await page.getByText('Version 1 is published').waitFor({ timeout: 90000 });
    await shot('03-published');

    step('a student launches the assignment link: the exercise page opens');
    await context.clearCookies();
    lms.links['link-greeting'] = { title: 'Greeting exercise', custom: { assignment_id: String(assignmentId) } };
    await page.goto(`${lms.base}/course/launch?as=student&link=link-greeting`);
    await page.waitForURL(`${app.base}/app/assignments/${assignmentId}`);
    await page.getByRole('heading', { name: 'Greet the user', level: 1 }).waitFor();
    assert.match(await page.getByRole('navigation', { name: 'Account' }).innerText(), /Signed in as Grace Hopper/);
    assert.equal(await page.getByRole('link', { name: 'Administration' }).count(), 0);
    await page.locator('.cm-content').waitFor();
    await shot('04-student-launch');

    step('edit and run: per-test feedback');
    await setEditor(page, WRONG);
    await runCode(page, 'run');
    assert.equal(await page.locator('.feedback li.test.failed').count(), 2);
    assert.match(await page.locator('.feedback pre.diff').first().innerText(), /- Hello, Ada!/);
    await setEditor(page, CORRECT);
    await runCode(page, 'run');
    assert.equal(await page.locator('.feedback li.test.passed').count(), 2);
    assert.match(await page.locator('.feedback .score').innerText(), /Score: 10 \/ 10/);
    await assertLabelled(page, 'the exercise page with feedback');
    await shot('05-student-run');

    step('submit: the grade is shown and sent to the LMS');
    await runCode(page, 'submit');
    assert.match(await page.locator('.feedback .score').innerText(), /Grade submitted: 10 \/ 10/);
    await shot('06-student-submitted');
    for (let i = 0; i < 600 && lms.scores.length === 0; i++) await sleep(100);
    assert.deepEqual(lms.assertionErrors, [], 'the tool\'s client assertions verify');
    assert.equal(lms.scores.length, 1, 'one score reached the LMS');
    const { link, contentType, score } = lms.scores[0];
    assert.equal(link, 'link-greeting');
    assert.equal(contentType, 'application/vnd.ims.lis.v1.score+json');
    assert.equal(score.userId, lms.people.student.sub);
    assert.equal(score.scoreGiven, 10);
    assert.equal(score.scoreMaximum, 10);
    assert.equal(score.gradingProgress, 'FullyGraded');

    step('the launch is an xAPI statement in the built-in LRS, with the learner as the LMS knows them');
    const launchedVerb = 'http://adlnet.gov/expapi/verbs/launched';
    let launched = null;
    for (let i = 0; i < 100 && !launched; i++) {
      const res = await fetch(`${app.base}/xapi/statements?${new URLSearchParams({ verb: launchedVerb })}`,
        { headers: { Cookie: admin.cookie, 'X-Experience-API-Version': '1.0.3' } });
      assert.equal(res.status, 200);
      launched = (await res.json()).statements.find((st) => st.actor?.account?.name === lms.people.student.sub);
      if (!launched) await sleep(100);
    }
    assert.ok(launched, 'a launched statement for the student');
    assert.equal(launched.actor.account.homePage, lms.base);
    assert.match(launched.object.id, /\/xapi\/activities\/assignments\//);

    step('the instructor launches again: the student is a member, with results; grades are resent');
    await context.clearCookies();
    await page.goto(`${lms.base}/course/launch?as=teacher&link=link-setup`);
    await page.waitForURL(`${app.base}/app/manage/courses/${courseId}`);
    // Her role as the LMS gave it (a select lists every role, so its value is what counts).
    assert.equal(await page.getByLabel('Role of Grace Hopper').inputValue(), 'student');
    await page.getByRole('button', { name: 'Resend grades to the LMS' }).click();
    await page.getByText('1 grade queued for the LMS.').waitFor();
    for (let i = 0; i < 600 && lms.scores.length < 2; i++) await sleep(100);
    assert.equal(lms.scores.length, 2, 'the grade reached the LMS again');
    assert.equal(lms.scores[1].score.scoreGiven, 10);
    await assertLabelled(page, 'the course page of an LTI course');
    await shot('07-instructor-course');
    await page.getByRole('link', { name: 'Results of Greet the user' }).click();
    // The course page has a row for Grace Hopper too (her membership): only the results page's
    // own heading says that the row is her results.
    await page.getByRole('heading', { name: 'Results: Greet the user', level: 1 }).waitFor();
    assert.equal(page.url(), `${app.base}/app/manage/assignments/${assignmentId}`);
    const row = page.getByRole('row', { name: /Grace Hopper/ });
    await row.waitFor();
    assert.deepEqual((await row.locator('td').allInnerTexts()).slice(0, 3), ['10', '10', '3'], 'best, final and number of runs');
    assert.equal(await page.getByRole('row', { name: /Ada Lovelace/ }).count(), 0, 'the instructor\'s check is not a result');
    await shot('08-instructor-results');
  } finally {
    lms.server.close();
  }
});
