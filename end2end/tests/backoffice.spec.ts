import { test, expect, type Browser, type Page } from '@playwright/test';
import { expectNoAxeViolations, isPhone, login, unique, waitForHydration, watchErrors, watchWasm, pageModule } from './helpers';

/** A browser of its own for another user (another device). */
async function otherDevice(browser: Browser, baseURL: string | undefined, testInfo: { project: { use: object } }) {
  const context = await browser.newContext({ ...testInfo.project.use, baseURL, locale: 'fr-BE' });
  return { context, page: await context.newPage() };
}

/** The audit trail, searched for `q`: its rows' actions. */
async function auditActions(page: Page, q: string) {
  await page.goto(`/admin/audit?q=${encodeURIComponent(q)}`);
  await waitForHydration(page);
  const rows = page.locator('table.audit-table tbody tr');
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
}

test('staff edit a product from the dashboard and organisations see the change', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  // The two projects run at once: each edits its own product.
  const [slug, name] = isPhone(testInfo)
    ? ['adobe-premiere-elements-2025', 'Adobe Premiere Elements 2025']
    : ['adobe-photoshop-elements-2025', 'Adobe Photoshop Elements 2025'];
  await login(page, 'staff');
  await expect(page).toHaveURL(/\/admin$/);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();
  await expect(page.getByTestId('queue-reviews')).toHaveText(/^\d+$/);
  await expect(page.locator('figure.chart svg')).toHaveCount(3);
  await expectNoAxeViolations(page, testInfo);

  await page.getByRole('link', { name: 'Gestion du catalogue' }).click();
  await expect(page).toHaveURL(/\/admin\/catalogue$/);
  await expectNoAxeViolations(page, testInfo);
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/catalogue/${slug}$`));
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  // A mistake first: the reason shows at the field and the typed text stays.
  const word = `lumineux${unique().replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
  const conditions = `Une licence par ordinateur (${word}).`;
  await page.getByLabel('Conditions en français (facultatif)').fill(conditions);
  await page.getByLabel('Frais administratifs hors TVA (€)').fill('douze');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.locator('#product-admin_fee-error')).toContainText(/montant/i);
  await expect(page.getByLabel('Conditions en français (facultatif)')).toHaveValue(conditions);
  await expectNoAxeViolations(page, testInfo);

  await page.getByLabel('Frais administratifs hors TVA (€)').fill('12,34');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status')).toContainText('Modifications enregistrées.');

  // An organisation's member sees the new fee and conditions on the product page.
  const member = await otherDevice(browser, baseURL, testInfo);
  await login(member.page, 'amis');
  await member.page.goto(`/catalogue/${slug}`);
  await waitForHydration(member.page);
  await expect(member.page.getByTestId('product-conditions')).toHaveText(conditions);
  await expect(member.page.locator('.product-facts')).toContainText(/12,34\s€/);
  await expectNoAxeViolations(member.page, testInfo);
  await member.context.close();

  // The edit is in the audit trail.
  expect(await auditActions(page, word)).toEqual(['product.updated']);
  expect(errors).toEqual([]);
});

test('a rule version dated tomorrow takes effect tomorrow and not before', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  // Each project changes its own partner and country: Adobe in Belgium (Les Amis), Cisco in
  // Luxembourg (Fondation Lumière).
  const [partner, country, parameter, counter, organisation, value, before] = isPhone(testInfo)
    ? ['Cisco', 'LU', 'Cisco : commandes par année fiscale', 'orders', 'lumiere', '3', '1']
    : ['Adobe', 'BE', 'Adobe : produits par année fiscale', 'products', 'amis', '2', '4'];
  await login(page, 'staff');
  await page.goto('/admin/rules');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Règles des partenaires' })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  await page.getByLabel('Partenaire').selectOption({ label: partner });
  await page.getByLabel('Pays').selectOption(country);
  const tomorrow = await page.getByLabel('En vigueur à partir du').inputValue();
  await expect(page.getByLabel(parameter)).toHaveValue(before);
  await page.getByLabel(parameter).fill(value);
  // Saving needs a preview of exactly these values.
  await expect(page.getByRole('button', { name: 'Enregistrer cette version' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Prévisualiser les effets' }).click();
  const preview = page.getByTestId('rule-preview');
  await expect(preview).toContainText('Allocations modifiées');
  await expect(preview).toContainText(/sur \d+/);
  await expectNoAxeViolations(page, testInfo);
  await page.getByRole('button', { name: 'Enregistrer cette version' }).click();
  await expect(page.getByRole('status')).toContainText('Version enregistrée.');

  // The organisation's allowance: the old limit today, the new one tomorrow (injected clock).
  const member = await otherDevice(browser, baseURL, testInfo);
  await login(member.page, organisation);
  const limit = async () => {
    await member.page.goto('/donations');
    await waitForHydration(member.page);
    const row = member.page.locator(`[data-partner="${partner.toLowerCase()}"] tr[data-counter="${counter}"]`);
    await expect(row).toBeVisible();
    return row.getAttribute('data-limit');
  };
  expect(await limit()).toBe(before);
  await member.context.addCookies([{ name: 'test_clock_days', value: '1', url: baseURL ?? 'http://127.0.0.1:3000' }]);
  expect(await limit()).toBe(value);
  await member.context.close();

  // The new version is listed and audited.
  await page.goto('/admin/rules');
  await waitForHydration(page);
  await expect(page.locator('table.lines tbody tr').filter({ hasText: partner }).filter({ hasText: country }).first()).toBeVisible();
  const actions = await auditActions(page, tomorrow);
  expect(actions).toContain('partner.rules_versioned');
  expect(errors).toEqual([]);
});

test('the language chosen holds across pages and follows the person to another device', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  // Two people no other spec logs in as: their language stays out of the other tests' way.
  const who = isPhone(testInfo) ? 'tournesols' : 'debrug';
  await login(page, who);
  await waitForHydration(page);
  if (isPhone(testInfo)) await page.getByRole('button', { name: 'Menu' }).click();
  const remembered = page.waitForResponse((r) => r.url().endsWith('/api/remember_language'));
  await page.getByRole('button', { name: 'Nederlands' }).click();
  expect((await remembered).ok()).toBe(true);
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');

  // Page after page, in Dutch, with Dutch dates and money.
  await page.goto('/catalogue');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Catalogus');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await waitForHydration(page);
  await expectNoAxeViolations(page, testInfo);
  await page.goto('/help');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Waarmee kunnen we u helpen?');
  await page.goto('/account');
  await waitForHydration(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expectNoAxeViolations(page, testInfo);

  // Another device whose browser asks for French: the login brings the Dutch back.
  const other = await otherDevice(browser, baseURL, testInfo);
  await login(other.page, who);
  await expect(other.page.locator('html')).toHaveAttribute('lang', 'nl');
  await other.page.goto('/catalogue');
  await expect(other.page.getByRole('heading', { level: 1 })).toHaveText('Catalogus');
  await other.context.close();
  expect(errors).toEqual([]);
});

test('an admin invites a staff member and takes the access away after a confirmation', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const name = `Agent ${unique()}`;
  const email = `agent-${unique().toLowerCase().replace(/[^a-z0-9]/g, '')}@dons.example.org`;
  await login(page, 'staff');
  const modules = watchWasm(page);
  await page.goto('/admin/staff');
  await waitForHydration(page);
  expect(modules).toEqual([expect.stringMatching(pageModule('team'))]);
  await expect(page.getByRole('heading', { level: 1, name: 'Équipe' })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // A missing address is refused at its field; then the invitation goes.
  await page.getByLabel('Nom complet').fill(name);
  await page.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(page.locator('#email-error')).not.toBeEmpty();
  await expect(page.getByLabel('Nom complet')).toHaveValue(name);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(page.getByRole('status')).toContainText('Invitation envoyée');
  const row = page.locator('table.lines tbody tr').filter({ hasText: email });
  await expect(row).toBeVisible();
  await expect(row.getByLabel(`Rôle de ${name}`)).toHaveValue('agent');
  await expectNoAxeViolations(page, testInfo);

  // Removing asks first; "Non" keeps the access, "Oui" takes it away.
  await row.getByRole('button', { name: "Retirer l'accès" }).click();
  await expect(row.getByRole('alert')).toContainText(`Retirer l'accès de ${name} ?`);
  await row.getByRole('button', { name: 'Non' }).click();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: "Retirer l'accès" }).click();
  await row.getByRole('button', { name: "Oui, retirer l'accès" }).click();
  await expect(page.locator('table.lines tbody tr').filter({ hasText: email })).toHaveCount(0);
  expect(await auditActions(page, email)).toContain('staff.invited');
  expect(errors).toEqual([]);
});
