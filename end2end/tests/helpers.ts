import { expect, request as playwrightRequest, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createHmac } from 'node:crypto';

/** Waits until the WASM has hydrated the page (the app marks <main> once its effects run). */
export async function waitForHydration(page: Page) {
  await expect(page.locator('main[data-hydrated="true"]')).toBeAttached();
}

/** The WASM files the page asks for from now on, by path (`/pkg/…`). */
export function watchWasm(page: Page): string[] {
  const modules: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) modules.push(path);
  });
  return modules;
}

/** The islands' module (app::ui::islands), under its hashed name. */
export const ISLANDS_MODULE = /^\/pkg\/islands\.[A-Za-z0-9_-]{22}\.wasm$/;

/** The module of a page that is one island (app::ui::islands::MODULES), by its name. */
export function pageModule(name: string): RegExp {
  return new RegExp(`^/pkg/${name}\\.[A-Za-z0-9_-]{22}\\.wasm$`);
}

/** The cart's own islands' module. */
export const CART_MODULE = pageModule('cart');

/** Collects console errors and failed requests so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // A refused server-function call (422 for bad input, 401…) is the app working as meant:
    // Chromium still logs it. Any other failed request or script error counts.
    const refusedCall = msg.location().url.includes('/api/') && /status of 4\d\d/.test(msg.text());
    if (!refusedCall) errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  return errors;
}

/** Runs axe-core (WCAG 2.1 A/AA and best practices) and fails on any violation. */
export async function expectNoAxeViolations(page: Page, testInfo: TestInfo) {
  const results = await axeViolations(page);
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  await testInfo.attach('axe', { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/**
 * axe-core's findings on the page as it is now: every rule of WCAG 2.1 A/AA and the best
 * practices, with every node of each violation. Two options make a scan 2–3 times faster
 * (the catalogue: 3.5 s → 1.3 s) without changing which rules run or what a violation lists:
 * - legacy mode runs `axe.run` in the page itself, where the default opens a blank page per
 *   scan to assemble results from frames; the app's pages have no frames to assemble;
 * - only violations carry all their nodes (passes and the rest carry one each): the tests
 *   read violations alone.
 */
export async function axeViolations(page: Page) {
  return new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'] })
    .analyze();
}

export const isPhone = (testInfo: TestInfo) => testInfo.project.name === 'phone';

export const DEMO_PASSWORD = 'demo-dons-2026';

/** The demo staff accounts' TOTP secret (base32), as README's demo logins give it. Demo only. */
export const DEMO_MFA_SECRET = 'DONSDEMODONSDEMODONSDEMODONSDEMO';
/** The demo staff accounts: pre-enrolled with [`DEMO_MFA_SECRET`]. */
export const DEMO_STAFF = ['staff', 'agent', 'cisco-desk'];
/** Where the global setup leaves the demo staff's sessions for the tests. */
export const STAFF_SESSIONS_ENV = 'PORTAL_E2E_STAFF_SESSIONS';

/** Decodes RFC 4648 base32 (no padding needed). */
function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * The six-digit TOTP code (RFC 6238: HMAC-SHA1, 30-second steps) of a base32 secret at time
 * step `step` (default: now), as an authenticator app computes it.
 */
export function totp(secret: string, step = Math.floor(Date.now() / 30_000)): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The session the global setup opened for a demo staff account. */
function staffSession(identifier: string): string {
  const sessions = JSON.parse(process.env[STAFF_SESSIONS_ENV] ?? '{}') as Record<string, string>;
  const session = sessions[identifier];
  if (!session) throw new Error(`no shared session for ${identifier}: is the global setup configured?`);
  return session;
}

/** An API context logged in as a demo staff account (its shared session). */
export async function staffApi(baseURL: string | undefined, identifier = 'staff'): Promise<APIRequestContext> {
  const url = new URL(baseURL ?? 'http://127.0.0.1:3000');
  return playwrightRequest.newContext({
    baseURL,
    storageState: {
      cookies: [
        {
          name: 'portal_session',
          value: staffSession(identifier),
          domain: url.hostname,
          path: '/',
          expires: -1,
          httpOnly: true,
          secure: false,
          sameSite: 'Lax',
        },
      ],
      origins: [],
    },
  });
}

/**
 * Logs in and waits for the landing page. Through the login page, and, for an account with a
 * second factor whose `mfaSecret` is given, the code step with the code its app would show.
 * The demo staff use the sessions the global setup opened with their code (a code works once:
 * parallel tests cannot each log the same account in within one step).
 */
export async function login(page: Page, identifier: string, password = DEMO_PASSWORD, mfaSecret?: string) {
  if (DEMO_STAFF.includes(identifier) && password === DEMO_PASSWORD && !mfaSecret) {
    const base = new URL(page.url().startsWith('http') ? page.url() : (process.env.BASE_URL ?? 'http://127.0.0.1:3000'));
    await page.context().addCookies([
      { name: 'portal_session', value: staffSession(identifier), url: `${base.protocol}//${base.host}/` },
    ]);
    await page.goto('/admin');
    await waitForHydration(page);
    await expect(page).toHaveURL(/\/admin$/);
    return;
  }
  await page.goto('/login');
  await waitForHydration(page);
  await page.getByLabel("Nom d'utilisateur ou adresse e-mail").fill(identifier);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  if (mfaSecret) {
    await expect(page).toHaveURL(/\/login\/mfa$/);
    await page.getByLabel('Code', { exact: true }).fill(totp(mfaSecret));
    await page.getByRole('button', { name: 'Valider' }).click();
  }
  await expect(page).toHaveURL(/\/(account|admin)$/);
  // The login's answer is a redirect, so the page it lands on is a fresh load: it is settled
  // (its module and chunks loaded) before the test goes on.
  await waitForHydration(page);
}

/** A valid Belgian enterprise number nobody else uses (mod-97 check digits). */
export function freshEnterpriseNumber(): string {
  // Eight digits whose first is 0 or 1, then the two check digits.
  const base = 1 + Math.floor(Math.random() * 19_999_998);
  const check = 97 - (base % 97);
  const digits = `${base}`.padStart(8, '0') + `${check}`.padStart(2, '0');
  return `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
}

/** The same number with its last digit changed: the check digits no longer match. */
export function withWrongCheckDigit(number: string): string {
  const last = Number(number.slice(-1));
  return number.slice(0, -1) + String((last + 1) % 10);
}

/** Removes every line of the (organisation's, persisted) cart on /cart. */
export async function emptyCart(page: Page) {
  const remove = page.locator('li.cart-line').getByRole('button', { name: /Retirer/ });
  const removed = (await remove.count()) > 0;
  while ((await remove.count()) > 0) {
    await remove.first().click();
  }
  await expect(page.getByText('Votre panier est vide.')).toBeVisible();
  // Saved before the caller navigates away (leaving the page drops a save in flight).
  if (removed) await expect(page.locator('.save-state')).toHaveText('Panier enregistré');
}

const headers = { accept: 'application/json' };
export const unique = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`;

/**
 * The path (with its token) of the newest registration link mailed to `holderEmail`, read
 * from the outbox as staff, as the password-reset test reads its link. Registration is two
 * steps: the form only mails this link, which creates the organisation.
 */
export async function registrationLinkPath(baseURL: string, holderEmail: string): Promise<string> {
  const staff = await staffApi(baseURL, 'staff');
  const listed = await staff.post('/api/outbox', { headers, form: { page: '1', to: holderEmail } });
  expect(listed.ok(), await listed.text()).toBe(true);
  const { messages } = (await listed.json()) as { messages: { body_text: string }[] };
  await staff.dispose();
  // Newest first.
  for (const message of messages) {
    const link = message.body_text.match(/https?:\/\/\S+\/register\/confirm\?token=\S+/)?.[0];
    if (link) return new URL(link).pathname + new URL(link).search;
  }
  throw new Error(`no registration link mailed to ${holderEmail}`);
}

/**
 * Opens the registration link mailed to `holderEmail` through the API as `context` (step 2):
 * the organisation is created and `context` holds the holder's session.
 */
export async function confirmRegistration(context: APIRequestContext, baseURL: string, holderEmail: string) {
  const path = await registrationLinkPath(baseURL, holderEmail);
  const token = new URLSearchParams(path.split('?')[1] ?? '').get('token') ?? '';
  const confirmed = await context.post('/api/confirm_registration', { headers, form: { token } });
  expect(confirmed.status(), await confirmed.text()).toBe(200);
}

/**
 * A new organisation of its own for each run and project, so that no other test touches its
 * quotas or tokens: registered, found eligible and qualified for `partners` by staff.
 */
export async function freshOrganisation(
  baseURL: string,
  partners: string[],
  names: { legalName?: string; holderEmail?: string; contactEmail?: string } = {},
) {
  const holderEmail = names.holderEmail ?? `orders${unique()}@test.example.org`;
  const contactEmail = names.contactEmail ?? `contact-${holderEmail}`;
  const password = 'une phrase assez longue';
  const legalName = names.legalName ?? `ASBL Suivi ${unique()}`;
  const holder = await playwrightRequest.newContext({ baseURL });
  const registered = await holder.post('/api/register', {
    headers,
    form: {
      'form[legal_name]': legalName,
      'form[legal_form]': 'asbl',
      'form[country]': 'BE',
      'form[enterprise_number]': freshEnterpriseNumber(),
      'form[street]': 'Rue du Suivi 3',
      'form[postal_code]': '5000',
      'form[city]': 'Namur',
      'form[contact_email]': contactEmail,
      'form[mission_category]': 'health',
      'form[holder_name]': 'Nora Suivi',
      'form[holder_email]': holderEmail,
      'form[password]': password,
    },
  });
  expect(registered.status(), await registered.text()).toBe(200);
  await confirmRegistration(holder, baseURL, holderEmail);
  const organisation = await (await holder.post('/api/my_organisation', { headers })).json();
  const organisationId = organisation.organisation_id ?? organisation.id;
  const staff = await staffApi(baseURL, 'staff');
  const eligible = await staff.post('/api/decide_eligibility', {
    headers,
    form: { organisation_id: organisationId, decision: 'eligible', reason: '' },
  });
  expect(eligible.ok(), await eligible.text()).toBe(true);
  const decisions: Record<string, string> = { organisation_id: organisationId };
  partners.forEach((partner, i) => {
    decisions[`decisions[${i}][partner_id]`] = partner;
    decisions[`decisions[${i}][decision]`] = 'qualified';
    decisions[`decisions[${i}][reason]`] = '';
  });
  // No partner: an eligible organisation qualified for nothing yet (the call needs one decision).
  if (partners.length > 0) {
    const qualified = await staff.post('/api/set_qualifications', { headers, form: decisions });
    expect(qualified.ok(), await qualified.text()).toBe(true);
  }
  await staff.dispose();
  return { holder, holderEmail, contactEmail, password, legalName, organisationId };
}


/**
 * Fails when the page is wider than the window (it would scroll sideways), naming the
 * elements that reach past its right edge. Content in a scroll area of its own
 * (`overflow-x: auto`) does not count: the page itself stays put.
 */
export async function expectNoSidewaysScroll(page: Page) {
  // The viewport the project sets, not window.innerWidth: a phone (isMobile) zooms out to fit
  // a page wider than the screen, and innerWidth then grows with the page.
  const viewport = page.viewportSize()?.width ?? 0;
  const overflow = await page.evaluate((width) => {
    const scrolled = (el: Element | null): boolean => {
      for (let e = el?.parentElement; e && e !== document.body; e = e.parentElement) {
        const x = getComputedStyle(e).overflowX;
        if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
      }
      return false;
    };
    const culprits = [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !scrolled(el))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().replace(/\s+/g, '.') : ''} → ${Math.round(el.getBoundingClientRect().right)}px`);
    return { scrollWidth: document.documentElement.scrollWidth, width, culprits };
  }, viewport);
  expect(overflow.scrollWidth, `${page.url()} scrolls sideways: ${overflow.culprits.join('; ')}`).toBeLessThanOrEqual(overflow.width);
}
