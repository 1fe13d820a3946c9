import { test, expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, expectNoAxeViolations, freshOrganisation, login, pageModule, unique, waitForHydration, watchErrors, watchWasm } from './helpers';

const headers = { accept: 'application/json' };

/**
 * A checkout through the API (lines of the caller's, a key of its own): the orders of `lines`,
 * with their references. The page's "Continuer" orders the stored cart instead.
 */
async function place(holder: APIRequestContext, lines: [string, number][]) {
  const form: Record<string, string> = { idempotency_key: crypto.randomUUID() };
  lines.forEach(([slug, quantity], i) => {
    form[`lines[${i}][slug]`] = slug;
    form[`lines[${i}][quantity]`] = String(quantity);
  });
  const answer = await holder.post('/api/checkout', { headers, form });
  expect(answer.ok(), await answer.text()).toBe(true);
  const checkoutId = (await answer.json()).Placed.checkout_id;
  const invoices = await (await holder.post('/api/load_checkout', { headers, form: { checkout_id: checkoutId } })).json();
  return invoices.map((i: { order_id: string; order_reference: string }) => ({ id: i.order_id, reference: i.order_reference }));
}

/** The dashboard's Microsoft counters: name → used. */
async function dashboardCounters(page: Page) {
  await page.goto('/donations');
  await waitForHydration(page);
  const rows = page.locator('[data-partner="microsoft"] table.counters tbody tr');
  await expect(rows.first()).toBeVisible();
  const counters: Record<string, number> = {};
  for (const row of await rows.all()) {
    counters[(await row.getAttribute('data-counter')) ?? ''] = Number(await row.getAttribute('data-used'));
  }
  return counters;
}

/** The same counters as the cart's meter computes them in the browser (the engine in WASM). */
async function engineCounters(page: Page) {
  await page.goto('/cart');
  await waitForHydration(page);
  const meter = page.locator('aside.meter');
  await expect(meter).toHaveAttribute('data-verdict', /microsoft/);
  const verdict = JSON.parse((await meter.getAttribute('data-verdict')) ?? '{}');
  const microsoft = verdict.allowances.find((a: { partner_id: string }) => a.partner_id === 'microsoft');
  const counters: Record<string, number> = {};
  for (const c of microsoft.counters) counters[c.name] = c.used;
  return counters;
}

test('staff move an order to fulfilled while the organisation follows each step, and a cancellation frees quota', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const org = await freshOrganisation(baseURL ?? '', ['microsoft', 'hardware']);
  const [software, hardware] = await place(org.holder, [
    ['office-ltsc-standard-2024', 2],
    ['dell-latitude-5420', 1],
  ]);

  const errors = watchErrors(page);
  await login(page, org.holderEmail, org.password);

  // "Mes demandes": both orders, newest first, nothing hidden; filters by partner.
  await page.goto('/requests');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Mes demandes', level: 1 })).toBeVisible();
  await expect(page.locator('li.order-card')).toHaveCount(2);
  await expectNoAxeViolations(page, testInfo);
  // A filter is an address: the choice sends the form, and the list arrives from the server.
  await page.getByLabel('Partenaire').selectOption('microsoft');
  await expect(page).toHaveURL(/\/requests\?status=&partner=microsoft&from=&to=$/);
  await waitForHydration(page);
  await expect(page.locator('li.order-card')).toHaveCount(1);
  await expect(page.locator('li.order-card')).toContainText(software.reference);
  await expect(page.getByLabel('Partenaire')).toHaveValue('microsoft');
  await page.getByLabel('Partenaire').selectOption('');
  await expect(page).toHaveURL(/\/requests\?status=&partner=&from=&to=$/);
  await waitForHydration(page);
  await expect(page.locator('li.order-card')).toHaveCount(2);
  await page.getByRole('link', { name: software.reference }).click();
  await expect(page.getByRole('heading', { name: `Demande ${software.reference}` })).toBeVisible();
  await expect(page.getByTestId('order-status')).toHaveText('Envoyée');
  await expect(page.getByText(org.contactEmail)).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // Staff process it from the queue; the organisation sees each step.
  const staff = await (await browser.newContext()).newPage();
  await login(staff, 'agent');
  await staff.goto('/admin/orders');
  await waitForHydration(staff);
  await staff.getByRole('link', { name: /^Envoyée/ }).click();
  await expect(staff).toHaveURL(/\/admin\/orders\?status=submitted$/);
  await expect(staff.getByRole('link', { name: /^Envoyée/ })).toHaveAttribute('aria-current', 'page');
  await expectNoAxeViolations(staff, testInfo);
  // One order's page is one island, in the `order` module: the whole app is not loaded.
  const staffModules = watchWasm(staff);
  await staff.goto(`/admin/orders/${software.id}`);
  await waitForHydration(staff);
  expect(staffModules).toEqual([expect.stringMatching(pageModule('order'))]);
  await expectNoAxeViolations(staff, testInfo);
  // Not offered, and refused by the server anyway (HTTP tests): "Marquer exécutée" before payment.
  await expect(staff.getByRole('button', { name: 'Marquer exécutée' })).toHaveCount(0);
  for (const [button, status] of [
    ['Marquer payée', 'Payée'],
    ['Transmettre au partenaire', 'Transmise au partenaire'],
    ['Marquer exécutée', 'Exécutée'],
  ]) {
    await staff.getByLabel(/Note pour l'organisation/).fill(`Étape : ${status}`);
    await staff.getByRole('button', { name: button }).click();
    await expect(staff.getByTestId('order-status')).toHaveText(status);
    await page.reload();
    await waitForHydration(page);
    await expect(page.getByTestId('order-status')).toHaveText(status);
    // "Marquer payée" records a payment (amount and date, its own form): no note goes with it.
    if (button !== 'Marquer payée') await expect(page.locator('ol.timeline')).toContainText(`Étape : ${status}`);
  }
  await expectNoAxeViolations(page, testInfo);
  // Once transmitted, the organisation can no longer cancel.
  await expect(page.getByRole('heading', { name: 'Annuler', exact: true })).toHaveCount(0);

  // Every step reached the organisation's outbox.
  await staff.goto(`/admin/outbox?to=${encodeURIComponent(org.contactEmail)}`);
  await waitForHydration(staff);
  // "Marquer payée" recorded the payment: its own e-mail says the money arrived.
  await expect(staff.locator('.mail-subject', { hasText: `Paiement reçu — demande ${software.reference}` })).toHaveCount(1);
  for (const subject of ['est transmise au partenaire', 'est exécutée']) {
    await expect(staff.locator('.mail-subject', { hasText: `La demande ${software.reference} ${subject}` })).toHaveCount(1);
  }

  // A second request reserves quota; "Mes dons Microsoft" shows it, as the engine does.
  const [second] = await place(org.holder, [
    ['visio-ltsc-professional-2024', 2],
    ['office-ltsc-standard-2024', 1],
  ]);
  const before = await dashboardCounters(page);
  expect(before['family:desktop:Office']).toBe(3);
  expect(before['family:desktop:Visio']).toBe(2);
  expect(before['families:desktop']).toBe(2);
  await expect(page.getByTestId('cycle')).toBeVisible();
  await expect(page.locator('svg.chart')).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  expect(await engineCounters(page)).toEqual(before);

  // Cancel the Visio line: every Microsoft line of the order goes, after a confirmation.
  await page.goto(`/requests/${second.id}`);
  await waitForHydration(page);
  await expect(page.getByText('Annuler une ligne Microsoft annule toutes les lignes Microsoft')).toBeVisible();
  await page.getByLabel(/Visio LTSC Professional 2024/).check();
  await page.getByRole('button', { name: 'Annuler la sélection' }).click();
  await page.getByRole('button', { name: 'Oui, annuler' }).click();
  // Without a reason nothing happens, and the choice stays.
  await expect(page.locator('#reason-error')).toContainText('Ce champ est obligatoire.');
  await expect(page.getByLabel(/Visio LTSC Professional 2024/)).toBeChecked();
  await page.getByLabel('Motif (obligatoire)').fill('Commandé par erreur');
  await expectNoAxeViolations(page, testInfo);
  await page.getByRole('button', { name: 'Annuler la sélection' }).click();
  await page.getByRole('button', { name: 'Oui, annuler' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Annulée');
  await expect(page.getByText('Motif de l\'annulation : Commandé par erreur')).toBeVisible();

  const after = await dashboardCounters(page);
  expect(after['family:desktop:Office']).toBe(2);
  expect(after['family:desktop:Visio'] ?? 0).toBe(0);
  expect(after['families:desktop']).toBe(1);
  expect(await engineCounters(page)).toEqual(after);
  // The hardware order still waits for payment in "Mes demandes".
  await page.goto('/requests');
  await waitForHydration(page);
  await expect(page.locator(`li.order-card:has-text("${hardware.reference}") .badge`)).toHaveText('Envoyée');
  expect(errors).toEqual([]);
  await org.holder.dispose();
});

test('a refund request outside the 14 days of refurbished hardware is refused with the rule', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await login(page, 'amis');
  await page.goto('/requests');
  await waitForHydration(page);
  await page.getByLabel('Partenaire').selectOption('hardware');
  await expect(page).toHaveURL(/partner=hardware/);
  await waitForHydration(page);
  await page.getByRole('link', { name: 'DEMO-2026-0002' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Exécutée');
  // The order's page is hydrated whole, loaded from an island page: its form acts once the
  // app runs (in the headless shell a click could come first, and the test then failed).
  await waitForHydration(page);
  // The form states the rule before anything is sent.
  const rule = page.locator('.refund-rule');
  await expect(rule).toContainText('dans les 14 jours suivant la validation');
  await expect(rule).toContainText("Jusqu'au 25 avril 2026.");
  await page.getByLabel(/ThinkPad T14/).check();
  await page.getByLabel('Motif (obligatoire)').fill('Écran défectueux');
  await page.getByRole('button', { name: 'Envoyer la demande de remboursement' }).click();
  await expect(page.getByTestId('refund-refusal')).toContainText('Hors délai');
  await expectNoAxeViolations(page, testInfo);
  // Nothing was recorded.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Demandes de remboursement' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('"Mes demandes" reaches its second page by "Suivantes", also without JavaScript', async ({ page, browser, baseURL }, testInfo) => {
  const errors = watchErrors(page);
  const { holder, holderEmail, password } = await freshOrganisation(baseURL!, ['hardware']);
  // 21 orders: one more than a page holds (ORDERS_PAGE_SIZE = 20).
  for (let i = 0; i < 21; i += 1) await place(holder, [['dell-latitude-5420', 1]]);
  await holder.dispose();
  await login(page, holderEmail, password);
  await page.goto('/requests');
  await waitForHydration(page);
  const pager = page.getByRole('navigation', { name: 'Pages de demandes' });
  await expect(pager).toContainText('Page 1 sur 2');
  await expect(pager.getByRole('link', { name: 'Précédentes', exact: true })).toHaveCount(0);
  await pager.getByRole('link', { name: 'Suivantes', exact: true }).click();
  await expect(page).toHaveURL(/\/requests\?status=&page=2$/);
  await expect(pager).toContainText('Page 2 sur 2');
  await expect(page.locator('ul.order-list > li')).toHaveCount(1);
  await expect(pager.getByRole('link', { name: 'Suivantes', exact: true })).toHaveCount(0);
  await waitForHydration(page);
  await expectNoAxeViolations(page, testInfo);
  // Without JavaScript: the same pages, and the filters' form sent with its button.
  const noScript = await browser.newContext({ javaScriptEnabled: false, baseURL });
  await noScript.addCookies(await page.context().cookies());
  const plain = await noScript.newPage();
  await plain.goto('/requests?page=2');
  await expect(plain.locator('ul.order-list > li')).toHaveCount(1);
  await plain.getByRole('link', { name: 'Précédentes', exact: true }).click();
  await expect(plain.locator('ul.order-list > li')).toHaveCount(20);
  await plain.getByLabel('Statut').selectOption('cancelled');
  await plain.getByRole('button', { name: 'Filtrer' }).click();
  await expect(plain).toHaveURL(/status=cancelled/);
  await expect(plain.getByText('Aucune demande ne correspond.')).toBeVisible();
  await noScript.close();
  expect(errors).toEqual([]);
});
