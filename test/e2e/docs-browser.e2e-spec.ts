import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import request from 'supertest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = 'test-output/docs-try-it-out.png';
const KEY = 'browser-caller-key-0123456789';

// The flags keep Chromium off the network it cannot reach here (closed sandbox) and let it run as root.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Without Chromium the browser test is skipped, saying so; CI (REQUIRE_BROWSER_TESTS=1, set by .ci/run) fails instead.
const available = existsSync(CHROMIUM);
if (!available) {
  const why = `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`;
  if (process.env.REQUIRE_BROWSER_TESTS === '1') throw new Error(`the browser test is required here, but ${why}`);
  process.stderr.write(`\nSKIPPED: Swagger UI in headless Chromium — ${why}\n\n`);
}
const describeInBrowser = available ? describe : describe.skip;

let gateway: GatewayHarness;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  gateway = await startGateway({ inventCount: 40, bvCount: 35, env: { API_KEYS: KEY } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

async function authorize(page: Page): Promise<void> {
  await page.click('button.authorize');
  const bearer = page.locator('.auth-container').filter({ has: page.locator('h4', { hasText: /^bearer/ }) });
  await bearer.locator('input').fill(KEY);
  await bearer.locator('button.authorize').click();
  await page.click('button.btn-done');
}

async function tryItOut(operation: Locator, parameters: Record<string, string>): Promise<{ status: string; body: string; url: string }> {
  await operation.locator('.opblock-summary').click();
  await operation.locator('button.try-out__btn').click();
  return execute(operation, parameters);
}

/** Fills parameters into an operation already in "Try it out" mode and runs it. */
async function execute(operation: Locator, parameters: Record<string, string>): Promise<{ status: string; body: string; url: string }> {
  for (const [name, value] of Object.entries(parameters)) await operation.locator(`tr[data-param-name="${name}"] input`).fill(value);
  const shownUrl = operation.locator('.request-url pre');
  const previous = (await shownUrl.count()) > 0 ? await shownUrl.innerText() : '';
  await operation.locator('button.execute').click();
  // A second run replaces the first one's answer: wait for the new request URL.
  await operation.locator('.request-url pre').filter({ hasNotText: previous || '\u0000' }).waitFor({ timeout: 15_000 });
  const row = operation.locator('.live-responses-table tr.response').first();
  await row.waitFor({ timeout: 15_000 });
  return {
    status: (await row.locator('.response-col_status').innerText()).trim(),
    body: await row.locator('.response-col_description pre').first().innerText(),
    url: await operation.locator('.request-url pre').innerText(),
  };
}

describeInBrowser('Swagger UI in headless Chromium', () => {
  it('loads under our CSP, authorizes with an API key, and "Try it out" lists real records', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${gateway.url}/docs`);
    const listing = page.locator('#operations-sub-orgs-listSubOrgs');
    await listing.waitFor({ timeout: 15_000 });
    await authorize(page);

    // No page is filled in for the user: a pasted cursor must not come with one.
    const result = await tryItOut(listing, { pageSize: '5', q: 'a' });
    expect(result.url).toBe(`${gateway.url}/v1/sub-orgs?q=a&pageSize=5&includeRaw=false`);
    expect(result.status).toBe('200');
    const shown = JSON.parse(result.body) as { data: Array<{ id: string }>; page: { totalItems: number; nextCursor: string } };
    const direct = await request(gateway.url).get('/v1/sub-orgs?q=a&pageSize=5').set('authorization', `Bearer ${KEY}`).expect(200);
    expect(shown.data.map((record) => record.id)).toEqual(direct.body.data.map((record: { id: string }) => record.id));
    expect(shown.page.totalItems).toBeGreaterThan(5);

    // The next page, by pasting nextCursor into the form.
    const next = await execute(listing, { cursor: shown.page.nextCursor });
    expect(next.status).toBe('200');
    const secondPage = await request(gateway.url).get(`/v1/sub-orgs?q=a&pageSize=5&cursor=${shown.page.nextCursor}`).set('authorization', `Bearer ${KEY}`).expect(200);
    expect((JSON.parse(next.body) as { data: Array<{ id: string }> }).data.map((record) => record.id)).toEqual(secondPage.body.data.map((record: { id: string }) => record.id));

    mkdirSync('test-output', { recursive: true });
    await listing.locator('.responses-inner h4').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows the 401 problem when "Try it out" runs without authorizing', async () => {
    const page = await browser.newPage();
    await page.goto(`${gateway.url}/docs`);
    const providers = page.locator('#operations-providers-listProviders');
    await providers.waitFor({ timeout: 15_000 });
    const result = await tryItOut(providers, {});
    expect(result.status).toBe('401');
    expect(JSON.parse(result.body)).toMatchObject({ status: 401, type: 'urn:suborg-gateway:problem:unauthorized' });
    await page.close();
  }, 60_000);
});
