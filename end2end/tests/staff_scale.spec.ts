import { test, expect, request as playwrightRequest } from '@playwright/test';
import {
  DEMO_PASSWORD,
  expectNoAxeViolations,
  expectNoSidewaysScroll,
  freshEnterpriseNumber,
  freshOrganisation,
  login,
  unique,
  waitForHydration,
  staffApi,
  watchErrors,
} from './helpers';

// Issue 24's walk through the back office: an agent finds an organisation by a misspelt
// accent and by an order reference, opens its 360 page, answers an "is it registered?"
// question from a template, and decides a refund request from the refunds queue.

const headers = { accept: 'application/json' };

test('an agent finds an organisation, opens its file, answers a question and decides a refund from its queue', async ({
  page,
  baseURL,
}, testInfo) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  const id = unique();
  // An organisation with accents in its name, a paid and transmitted laptop, and a refund
  // request on it (refurbished hardware: within 14 days of validation).
  const legalName = `Maison des Écoliers Liégeois ${id}`;
  const org = await freshOrganisation(baseURL ?? '', ['hardware'], { legalName });
  const placed = await org.holder.post('/api/checkout', {
    headers,
    form: {
      idempotency_key: `scale-${id}-${testInfo.project.name}`.padEnd(20, '0'),
      'lines[0][slug]': 'dell-latitude-5420',
      'lines[0][quantity]': '1',
    },
  });
  expect(placed.status(), await placed.text()).toBe(200);
  const checkoutId = (await placed.json()).Placed.checkout_id;
  const [invoice] = await (await org.holder.post('/api/load_checkout', { headers, form: { checkout_id: checkoutId } })).json();
  const agentApi = await staffApi(baseURL, 'agent');
  for (const action of ['mark_paid', 'transmit']) {
    const stepped = await agentApi.post('/api/order_step', {
      headers,
      form: { order_id: invoice.order_id, action, note: 'Étape du test' },
    });
    expect(stepped.ok(), `${action}: ${await stepped.text()}`).toBe(true);
  }
  await agentApi.dispose();
  const order = await (await org.holder.post('/api/load_order', { headers, form: { order_id: invoice.order_id } })).json();
  const reference: string = order.reference;
  const requested = await org.holder.post('/api/request_refund', {
    headers,
    form: {
      order_id: invoice.order_id,
      'lines[0]': order.lines[0].order_line_id,
      reason: 'Ordinateur commandé en double',
      declaration: 'false',
    },
  });
  expect(requested.ok(), await requested.text()).toBe(true);
  await org.holder.dispose();
  // A visitor asks whether the organisation is registered.
  const asker = `curieux${id}@example.org`;
  const visitor = await playwrightRequest.newContext({ baseURL });
  const asked = await visitor.post('/api/ask_if_registered', {
    headers,
    form: {
      organisation_name: legalName,
      enterprise_number: freshEnterpriseNumber(),
      address: 'Rue du Suivi 3, 5000 Namur',
      reply_email: asker,
    },
  });
  expect(asked.ok(), await asked.text()).toBe(true);
  await visitor.dispose();

  await login(page, 'agent');

  // The directory: "ecoliers liegéois" — no accent where there is one, one where there is none.
  await page.goto('/admin/organisations');
  await waitForHydration(page);
  await expectNoAxeViolations(page, testInfo);
  await page.locator('#directory-q').fill(`maison des ecoliers liegéois ${id}`);
  await page.locator('form.directory-search').getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/\/admin\/organisations\?/);
  const byName = page.locator(`.directory-results li[data-organisation="${org.organisationId}"]`);
  await expect(byName).toHaveCount(1);
  await expect(page.locator('.directory-results > li')).toHaveCount(1);
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);

  // The same organisation by its order's reference, typed in lower case.
  await page.locator('#directory-q').fill(reference.toLowerCase());
  await page.locator('form.directory-search').getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.locator('.directory-results > li')).toHaveCount(1);
  await page.locator('.directory-results').getByRole('link', { name: legalName }).click();

  // Its 360 page: the file, and the order with its reference.
  await expect(page).toHaveURL(new RegExp(`/admin/organisations/${org.organisationId}$`));
  await waitForHydration(page);
  await expect(page.locator('h1').first()).toContainText(legalName);
  await expect(page.locator('section[aria-labelledby="overview-orders"]').getByRole('link', { name: reference })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);

  // The question, answered from the "registered" template and closed.
  await page.goto(`/admin/inquiries?q=${encodeURIComponent(id)}`);
  await waitForHydration(page);
  const question = page.locator('li').filter({ has: page.getByRole('heading', { name: legalName }) });
  await expect(question).toHaveCount(1);
  await question.getByLabel('Modèle de réponse').selectOption({ label: "Inscrite : s'adresser au titulaire du compte" });
  await expect(question.getByLabel('Réponse envoyée (modifiable)')).toHaveValue(/dispose déjà d'un compte/);
  await expectNoAxeViolations(page, testInfo);
  await question.getByRole('button', { name: 'Envoyer et clore' }).click();
  await expect(page.getByText(`Réponse envoyée à ${asker} ; la question est close.`)).toBeVisible();
  await page.goto(`/admin/inquiries?status=answered&q=${encodeURIComponent(id)}`);
  await waitForHydration(page);
  await expect(page.locator('.answer-text')).toContainText("dispose déjà d'un compte");
  await expectNoAxeViolations(page, testInfo);

  // The refunds queue lists the order with its marker; the agent accepts the request.
  await page.goto('/admin/orders?queue=refunds');
  await waitForHydration(page);
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);
  const row = page.locator('li.order-card').filter({ hasText: reference }).filter({ hasText: 'Remboursement demandé (1)' });
  await expect(row).toHaveCount(1);
  await row.getByRole('link', { name: reference }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/orders/${invoice.order_id}$`));
  await waitForHydration(page);
  const decision = page.locator('.refund-decision');
  await expect(decision).toContainText('Ordinateur commandé en double');
  await expectNoAxeViolations(page, testInfo);
  await decision.getByRole('button', { name: 'Accepter' }).click();
  await expect(page.locator('.refund-decision')).toHaveCount(0);
  // The queue no longer holds it.
  await page.goto(`/admin/orders?queue=refunds`);
  await waitForHydration(page);
  await expect(page.locator('li.order-card').filter({ hasText: reference })).toHaveCount(0);
  expect(errors).toEqual([]);
});
