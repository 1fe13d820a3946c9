import { test, expect, request as playwrightRequest, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import {
  DEMO_PASSWORD,
  expectNoAxeViolations,
  expectNoSidewaysScroll,
  freshOrganisation,
  login,
  unique,
  waitForHydration,
  staffApi,
  watchErrors,
} from './helpers';

// Every page, at the project's width (360 px on the phone), with the longest values a real
// organisation brings: a 64-character e-mail address (the longest local part the standard
// allows, in one unbreakable word), a 120-character name, product names over 40 characters.
// No page may scroll sideways, and axe finds nothing on any of them.

const headers = { accept: 'application/json' };

/** An address of exactly 64 characters, unique to this run. */
function longEmail(prefix: string): string {
  const domain = `.${unique()}@test.example.org`;
  const local = `${prefix}.vandenbossche-verhaegen-delacroix-vanhoutte-dewilde`;
  return local.slice(0, 64 - domain.length) + domain;
}

/** A name of exactly 120 characters, unique to this run. */
function longName(): string {
  const tail = ` ${unique()}`;
  const name =
    'Association royale des amis de la bibliothèque publique et du centre culturel intercommunal de Saint-Josse-ten-Noode et environs';
  return name.slice(0, 120 - tail.length).trimEnd() + tail;
}

const PRODUCT = 'exchange-server-se-standard-sa';

async function visit(page: Page, testInfo: TestInfo, paths: string[]) {
  for (const path of paths) {
    await test.step(path, async () => {
      await page.goto(path);
      await waitForHydration(page);
      await expect(page.locator('h1').first()).toBeVisible();
      await expectNoSidewaysScroll(page);
      await expectNoAxeViolations(page, testInfo);
    });
  }
}

/** An organisation with the long values everywhere they show: orders, tokens, invitations. */
async function longOrganisation(baseURL: string) {
  const holderEmail = longEmail('nora');
  const org = await freshOrganisation(baseURL, ['microsoft', 'hardware', 'google'], {
    legalName: longName(),
    holderEmail,
    contactEmail: longEmail('contact'),
  });
  const holder: APIRequestContext = org.holder;
  const placed = await holder.post('/api/checkout', {
    headers,
    form: {
      idempotency_key: crypto.randomUUID(),
      'lines[0][slug]': PRODUCT,
      'lines[0][quantity]': '1',
      'lines[1][slug]': 'dell-latitude-5420',
      'lines[1][quantity]': '1',
    },
  });
  expect(placed.ok(), await placed.text()).toBe(true);
  const checkoutId: string = (await placed.json()).Placed.checkout_id;
  const invoices = await (await holder.post('/api/load_checkout', { headers, form: { checkout_id: checkoutId } })).json();
  const token = await holder.post('/api/create_token', {
    headers,
    form: {
      'form[for_whom]': 'other',
      'form[recipient_name]': 'Nora Vandenbossche-Verhaegen',
      'form[recipient_email]': longEmail('token'),
      'form[purpose]': 'Vérification Google pour les associations',
      'form[partner_id]': '',
    },
  });
  expect(token.ok(), await token.text()).toBe(true);
  const invited = await holder.post('/api/invite_member', {
    headers,
    form: { full_name: 'Maximilien Vandenbossche-Verhaegen', email: longEmail('invite') },
  });
  expect(invited.ok(), await invited.text()).toBe(true);
  // The holder's cart keeps a long line, for the cart page.
  const saved = await holder.post('/api/save_cart', {
    headers,
    form: { 'lines[0][slug]': PRODUCT, 'lines[0][quantity]': '1' },
  });
  expect(saved.ok(), await saved.text()).toBe(true);
  await holder.dispose();
  return { ...org, checkoutId, orderId: invoices[0].order_id as string, invoiceId: invoices[0].invoice_id as string };
}

test('no public page scrolls sideways, and axe finds nothing on them', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await visit(page, testInfo, [
    '/',
    '/catalogue',
    `/catalogue/${PRODUCT}`,
    '/login',
    '/register',
    '/forgot-password',
    '/reset-password?token=inconnu',
    '/register/confirm?token=inconnu',
    '/is-registered',
    '/partners/verify',
    '/help',
  ]);
  expect(errors).toEqual([]);
  // The 404 page (its status is logged as a failed load: not watched).
  await visit(page, testInfo, ['/nulle-part']);
});

test("no page of an organisation with the longest values scrolls sideways, its own or staff's", async ({
  page,
  baseURL,
}, testInfo) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  const org = await longOrganisation(baseURL ?? '');
  await login(page, org.holderEmail, org.password);
  await visit(page, testInfo, [
    '/account',
    '/account/tokens',
    '/cart',
    '/requests',
    `/requests/${org.orderId}`,
    `/checkout/${org.checkoutId}`,
    `/invoices/${org.invoiceId}`,
    '/donations',
    '/catalogue',
  ]);
  // "Mes dons": every counters table is read whole, on a phone too (nothing hidden to scroll).
  await page.goto('/donations');
  await waitForHydration(page);
  const tables = page.locator('.table-scroll:has(table.counters)');
  expect(await tables.count()).toBeGreaterThan(0);
  for (const table of await tables.all()) {
    const { scrollWidth, clientWidth } = await table.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth, 'a counters table is cut off').toBeLessThanOrEqual(clientWidth);
  }
  // The cart's long line, checked too (it is there once the page has read the stored cart).
  await page.goto('/cart');
  await waitForHydration(page);
  await expect(page.locator('li.cart-line')).toHaveCount(1);
  await expectNoSidewaysScroll(page);

  // Staff see the same values in their lists and files.
  await page.context().clearCookies();
  await login(page, 'staff', DEMO_PASSWORD);
  await visit(page, testInfo, [
    '/admin',
    '/admin/organisations',
    `/admin/organisations?q=${encodeURIComponent(org.legalName.slice(0, 40))}`,
    `/admin/organisations/${org.organisationId}`,
    '/admin/orders',
    '/admin/orders?queue=refunds',
    '/admin/orders?queue=cancellations',
    '/admin/orders?queue=overpayments',
    '/admin/orders?queue=unpaid',
    '/admin/orders?queue=awaiting_approval',
    '/admin/orders?status=paid',
    '/admin/inquiries?status=answered',
    '/admin/digest',
    `/admin/orders/${org.orderId}`,
    '/admin/outbox',
    '/admin/audit',
    '/admin/reviews',
    '/admin/requalify',
    '/admin/payments',
    '/admin/changes',
    '/admin/inquiries',
    '/admin/catalogue',
    `/admin/catalogue/${PRODUCT}`,
    '/admin/rules',
    '/admin/partner-clients',
    '/admin/staff',
    '/admin/import',
    '/admin/help',
  ]);
  // The outbox lists the long addresses it mailed.
  await page.goto(`/admin/outbox?to=${encodeURIComponent(org.holderEmail)}`);
  await waitForHydration(page);
  await expect(page.getByText(org.holderEmail).first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  expect(errors).toEqual([]);
});

test('a staff member with a long address sees the staff pages without sideways scroll', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(60_000);
  const errors = watchErrors(page);
  // The pages' chrome (the header's user name and address) with the longest values.
  const staff = await staffApi(baseURL, 'staff');
  const email = longEmail('agent');
  const invited = await staff.post('/api/invite_staff', {
    headers,
    form: { full_name: 'Maximilien Vandenbossche-Verhaegen de la Croix', email, role: 'agent' },
  });
  expect(invited.ok(), await invited.text()).toBe(true);
  await staff.dispose();
  await login(page, 'staff', DEMO_PASSWORD);
  await visit(page, testInfo, ['/admin/staff']);
  await expect(page.getByText(email).first()).toBeVisible();
  expect(errors).toEqual([]);
});
