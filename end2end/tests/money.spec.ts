import { test, expect, request as playwrightRequest } from '@playwright/test';
import { DEMO_PASSWORD, expectNoAxeViolations, freshOrganisation, login, waitForHydration, watchErrors, staffApi } from './helpers';

const headers = { accept: 'application/json' };

/** "84,70" for 8470 cents, as staff type amounts. */
const euros = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

test('staff record a refund, and the organisation sees its invoice refunded and downloads the credit note', async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  // An organisation of its own: a paid order it then cancels, so the fee is due back.
  const org = await freshOrganisation(baseURL ?? '', ['adobe']);
  const key = `money-${Date.now()}-${testInfo.project.name}`.padEnd(20, '0');
  const placed = await org.holder.post('/api/checkout', {
    headers,
    form: { idempotency_key: key, 'lines[0][slug]': 'adobe-acrobat-pro-2024', 'lines[0][quantity]': '1' },
  });
  expect(placed.status(), await placed.text()).toBe(200);
  const checkoutId = (await placed.json()).Placed.checkout_id;
  const [invoice] = await (await org.holder.post('/api/load_checkout', { headers, form: { checkout_id: checkoutId } })).json();
  const asStaff = await staffApi(baseURL, 'staff');
  const paid = await asStaff.post('/api/record_payment', {
    headers,
    form: { reference: invoice.communication, amount: euros(invoice.total_cents), booked_on: '2026-11-30' },
  });
  expect(await paid.json()).toBe('matched');
  const order = await (await org.holder.post('/api/load_order', { headers, form: { order_id: invoice.order_id } })).json();
  const cancelled = await org.holder.post('/api/cancel_order', {
    headers,
    form: { order_id: invoice.order_id, 'lines[0]': order.lines[0].order_line_id, reason: 'Commandé en double' },
  });
  expect(await cancelled.json()).toBe('cancelled');
  await asStaff.dispose();

  // Staff: the refund waits in "Paiements"; they record the transfer.
  const staffContext = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  const staff = await staffContext.newPage();
  const staffErrors = watchErrors(staff);
  await login(staff, 'staff');
  await staff.goto('/admin/payments');
  await waitForHydration(staff);
  const item = staff.locator(`li.refund-due-item[data-invoice="${invoice.number}"]`);
  await expect(item).toBeVisible();
  await expect(item.locator('.amount')).toContainText(euros(invoice.total_cents));
  await expectNoAxeViolations(staff, testInfo);
  // A mistyped IBAN is refused with a message, and nothing is recorded.
  await item.getByLabel('IBAN du bénéficiaire').fill('BE68 5390 0754 7035');
  await item.getByRole('button', { name: 'Enregistrer le remboursement' }).click();
  await expect(item.locator('.field-error').filter({ hasText: 'IBAN' })).toBeVisible();
  await item.getByLabel('IBAN du bénéficiaire').fill('BE68 5390 0754 7034');
  await item.getByRole('button', { name: 'Enregistrer le remboursement' }).click();
  await expect(item).toHaveCount(0);
  expect(staffErrors).toEqual([]);
  await staffContext.close();

  // The organisation: its invoice reads "Remboursée", with the credit note to download.
  await login(page, org.holderEmail, org.password);
  await page.goto(`/invoices/${invoice.invoice_id}`);
  await waitForHydration(page);
  await expect(page.locator('.invoice-state')).toHaveAttribute('data-state', 'refunded');
  await expect(page.locator('.invoice-state')).toHaveText('Remboursée');
  const note = page.locator('li.credit-note');
  await expect(note).toHaveCount(1);
  await expect(note.locator('.credit-note-number')).toHaveText(/^NC-\d{4}-\d{6}$/);
  await expectNoAxeViolations(page, testInfo);
  const [download] = await Promise.all([page.waitForEvent('download'), note.getByRole('link', { name: /PDF/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^NC-\d{4}-\d{6}\.pdf$/);
  const pdf = await page.request.get(`/credit-notes/${(await note.getByRole('link', { name: /PDF/ }).getAttribute('href'))?.split('/')[2]}/pdf`);
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  // And "Mes demandes" shows the order refunded.
  await page.goto(`/requests/${invoice.order_id}`);
  await waitForHydration(page);
  await expect(page.locator('.invoice-state')).toHaveText('Remboursée');
  await expectNoAxeViolations(page, testInfo);
  expect(errors).toEqual([]);
  await org.holder.dispose();
});
