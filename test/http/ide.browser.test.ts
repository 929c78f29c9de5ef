import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type HTTPResponse, type Page } from 'puppeteer-core';
import { insertCustomer } from '../helpers/factories';
import { STAFF, TEST_PASSWORD, startTestServer, type TestServer } from '../helpers/server';

// The IDE and CORS as a person's browser meets them: Debian's Chromium driven by puppeteer-core.
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = resolve(__dirname, '../../artifacts');
const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
if (!haveChromium && !inCi)
  console.warn(
    `Skipping the browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH).`,
  );
// In CI a missing browser fails the run (below) rather than skipping it.
const describeInBrowser = haveChromium || inCi ? describe : describe.skip;

/** What code run inside the page uses (this project compiles without the DOM library). */
interface PageGlobals {
  document: { querySelector(selector: string): { innerText?: string; textContent: string | null } | null };
  callApi(url: string, token: string): Promise<unknown>;
}

const LOCAL = /^(data:|https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/)/;

/** A tiny page on another origin that calls the API the way a front-end app would. */
const OTHER_ORIGIN_PAGE = `<!doctype html><meta charset="utf-8"><title>Another origin</title>
<script>
window.callApi = async function (url, token) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: '{ customers(first: 5) { totalCount } }' }),
    });
    return { status: response.status, requestId: response.headers.get('x-request-id'), body: await response.json() };
  } catch (error) {
    return { error: String(error) };
  }
};
</script>`;

async function servePage(html: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describeInBrowser('in a real browser (Chromium)', () => {
  let browser: Browser;
  let api: TestServer;
  let allowedPage: { server: Server; origin: string };
  let otherPage: { server: Server; origin: string };
  /** Every URL any page asked for. */
  const requested: string[] = [];

  async function newPage(): Promise<Page> {
    const page = await browser.newPage();
    page.setDefaultTimeout(60_000); // two busy cores: GraphiQL's 1 MB bundle may take a while
    await page.setViewport({ width: 1440, height: 900 });
    page.on('request', (request) => requested.push(request.url()));
    return page;
  }

  beforeAll(async () => {
    if (!haveChromium)
      throw new Error(
        `Chromium is required in CI but ${CHROMIUM} does not exist: apt-get install -y chromium (.ci/run installs it), or set CHROMIUM_PATH.`,
      );
    allowedPage = await servePage(OTHER_ORIGIN_PAGE);
    otherPage = await servePage(OTHER_ORIGIN_PAGE);
    api = await startTestServer({ corsOrigins: [allowedPage.origin] });
    for (const lastName of ['Lovelace', 'Hopper', 'Turing'])
      await insertCustomer(api.db, { firstName: 'Demo', lastName });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-gpu',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    for (const page of [allowedPage, otherPage]) if (page) await new Promise((done) => page.server.close(done));
  });

  it('GraphiQL: log in with the login panel, run a customers query, schema completion, all without leaving the machine', async () => {
    const page = await newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    const graphqlResponse = (operation: string) =>
      page.waitForResponse(
        (res: HTTPResponse) =>
          res.url() === api.url &&
          res.request().method() === 'POST' &&
          (res.request().postData() ?? '').includes(operation),
      );

    await page.goto(api.url, { waitUntil: 'networkidle0' });
    // First visit: the login panel is open.
    await page.waitForSelector('.ide-login input[name=email]', { visible: true });

    // A wrong password shows the server's own message and logs nobody in.
    await page.type('.ide-login input[name=email]', STAFF.admin.email);
    await page.type('.ide-login input[name=password]', 'not the password');
    const failed = graphqlResponse('IdeLogin');
    await page.click('.ide-login button[type=submit]');
    const failure = (await (await failed).json()) as {
      data: { login: { token: null; userErrors: { message: string }[] } };
    };
    expect(failure.data.login.token).toBeNull();
    const alert = await page.waitForSelector('.ide-login [role=alert]');
    expect(await alert!.evaluate((el) => el.textContent)).toBe(failure.data.login.userErrors[0].message);
    expect(await page.$('[data-testid=ide-session]')).toBeNull();

    // The right one puts the token into the Headers pane.
    await page.$eval(
      '.ide-login input[name=password]',
      (input) => ((input as unknown as { value: string }).value = ''),
    );
    await page.type('.ide-login input[name=password]', TEST_PASSWORD);
    await page.click('.ide-login button[type=submit]');
    const session = await page.waitForSelector('[data-testid=ide-session]');
    expect(await session!.evaluate((el) => (el as unknown as { innerText: string }).innerText)).toContain(
      `Logged in as ${STAFF.admin.name} (ADMIN)`,
    );
    const headersPane = await page.$eval(
      '.graphiql-editor-tool',
      (el) => (el as unknown as { innerText: string }).innerText,
    );
    expect(headersPane).toMatch(/"Authorization": "Bearer [\w-]+\.[\w-]+\.[\w-]+"/);

    // The default query lists customers; run it from the toolbar and read the result pane.
    const ran = graphqlResponse('query Customers');
    await page.click('.graphiql-execute-button');
    const response = await ran;
    expect(response.request().headers().authorization).toMatch(/^Bearer /);
    await page.waitForFunction(() =>
      (globalThis as unknown as PageGlobals).document.querySelector('.result-window')?.innerText?.includes('Turing'),
    );
    const result = await page.$eval('.result-window', (el) => (el as unknown as { innerText: string }).innerText);
    expect(result).toContain('"totalCount": 3');
    for (const name of ['Hopper', 'Lovelace', 'Turing']) expect(result).toContain(`"lastName": "${name}"`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: resolve(ARTIFACTS, 'ide.png') });

    // The session survives a reload: the persisted headers still carry the token.
    await page.reload({ waitUntil: 'networkidle0' });
    await page.waitForSelector('.graphiql-execute-button');
    const again = graphqlResponse('query Customers');
    await page.click('.graphiql-execute-button');
    const afterReload = await again;
    expect(afterReload.request().headers().authorization).toBe(response.request().headers().authorization);
    expect(await afterReload.json()).toMatchObject({ data: { customers: { totalCount: 3 } } });

    // Schema completion: the docs explorer lists Query's fields…
    await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name');
    await page.$$eval('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name', (links) =>
      (links.find((link) => link.textContent === 'Query') as unknown as { click(): void }).click(),
    );
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('.graphiql-doc-explorer-title')?.textContent ===
        'Query',
    );
    const queryFields = await page.$eval(
      '.graphiql-doc-explorer-content',
      (el) => (el as unknown as { innerText: string }).innerText,
    );
    expect(queryFields).toMatch(/\bcustomers\b/);
    expect(queryFields).toMatch(/\bcustomer\b/);
    // …and typing in the editor suggests fields.
    await page.click('.graphiql-query-editor .CodeMirror');
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.type('{ custo');
    await page.waitForSelector('.CodeMirror-hints', { visible: true });
    const hints = await page.$$eval('.CodeMirror-hints li', (items) => items.map((item) => item.textContent));
    expect(hints).toEqual(expect.arrayContaining(['customer', 'customers']));

    // Nothing left the machine, the assets came from this server, and the page had no errors
    // (a Content-Security-Policy violation would be one).
    expect(requested.filter((url) => !LOCAL.test(url))).toEqual([]);
    expect(requested).toContain(`${new URL(api.url).origin}/graphql`);
    expect(requested.some((url) => url.startsWith(`${api.url}/ide/`) && url.endsWith('/graphiql.min.js'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  it('CORS: a page on an allowed origin calls the API with a bearer token; a page on another origin is refused', async () => {
    const token = await api.token('admin');

    const allowed = await newPage();
    await allowed.goto(`${allowedPage.origin}/`);
    const ok = await allowed.evaluate(
      (url, bearer) => (globalThis as unknown as PageGlobals).callApi(url, bearer),
      api.url,
      token,
    );
    expect(ok).toEqual({
      status: 200,
      requestId: expect.stringMatching(/^[\w-]+$/),
      body: { data: { customers: { totalCount: 3 } } },
    });

    const refused = await newPage();
    const consoleErrors: string[] = [];
    refused.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await refused.goto(`${otherPage.origin}/`);
    const blocked = await refused.evaluate(
      (url, bearer) => (globalThis as unknown as PageGlobals).callApi(url, bearer),
      api.url,
      token,
    );
    expect(blocked).toEqual({ error: 'TypeError: Failed to fetch' });
    // The browser says why: the CORS policy, not a network failure.
    await new Promise((done) => setTimeout(done, 200));
    expect(consoleErrors.join('\n')).toMatch(
      new RegExp(`from origin '${otherPage.origin}' has been blocked by CORS policy`),
    );

    expect(requested.filter((url) => !LOCAL.test(url))).toEqual([]);
    await allowed.close();
    await refused.close();
  }, 120_000);
});
