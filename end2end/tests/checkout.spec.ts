import { test, expect, request as playwrightRequest, type Page } from '@playwright/test';
import { DEMO_PASSWORD, emptyCart, expectNoAxeViolations, freshOrganisation, isPhone, ISLANDS_MODULE, login, pageModule, waitForHydration, watchErrors, watchWasm, staffApi } from './helpers';

/** "1 234,56 €" → 123456 (cents). */
const cents = (text: string) => Math.round(Number(text.replace(/[^\d,]/g, '').replace(',', '.')) * 100);

const line = (page: Page, name: string) =>
  page.locator('li.cart-line').filter({ has: page.getByRole('heading', { name, exact: true }) });

async function addLine(page: Page, slug: string, quantity: string) {
  await page.getByLabel('Produit', { exact: true }).selectOption(slug);
  await page.locator('#add-quantity').fill(quantity);
  await page.getByRole('button', { name: 'Ajouter au panier' }).click();
}

/**
 * Each project orders for its own organisation, so that the phone and desktop runs never share
 * a cart or a quota: staff first qualify it for Adobe and refurbished hardware.
 */
async function organisationFor(phone: boolean, baseURL: string) {
  const username = phone ? 'lumiere' : 'biblio';
  const member = await playwrightRequest.newContext({ baseURL });
  const headers = { accept: 'application/json' };
  expect((await member.post('/api/login', { headers, form: { identifier: username, password: DEMO_PASSWORD } })).ok()).toBe(true);
  const organisation = await (await member.post('/api/my_organisation', { headers })).json();
  const staff = await staffApi(baseURL, 'staff');
  for (const partner of ['adobe', 'hardware']) {
    const answer = await staff.post('/api/requalify_partner', {
      headers,
      form: {
        partner_id: partner,
        'organisation_ids[0]': organisation.organisation_id ?? organisation.id,
        decision: 'qualified',
        reason: '',
      },
    });
    expect(answer.ok(), await answer.text()).toBe(true);
  }
  await member.dispose();
  await staff.dispose();
  return username;
}

test('a qualified organisation orders software and hardware and gets two invoices', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const username = await organisationFor(isPhone(testInfo), baseURL ?? '');
  await login(page, username);
  await page.goto('/cart');
  await waitForHydration(page);
  await emptyCart(page);

  // The catalogue: search without accents, a product page, and "Ajouter au panier".
  await page.goto('/catalogue');
  await waitForHydration(page);
  await page.getByLabel('Rechercher un produit').fill('acrobat');
  const acrobat = page.locator('li.product-card[data-slug="adobe-acrobat-pro-2024"]');
  await expect(acrobat).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await acrobat.getByRole('button', { name: 'Ajouter au panier' }).click();
  await expect(acrobat.getByText('Ajouté au panier.')).toBeVisible();
  // An offer of a partner the organisation is not qualified for: visible, with the reason.
  await page.goto('/catalogue/autodesk-autocad-2026');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'AutoCAD 2026', level: 1 })).toBeVisible();
  await expect(page.getByText("Votre organisation n'est pas qualifiée pour Autodesk")).toBeVisible();
  await expect(page.getByRole('button', { name: 'Ajouter au panier' })).toHaveCount(0);
  await expectNoAxeViolations(page, testInfo);

  // The cart kept the Acrobat line; add Office and a laptop.
  await page.goto('/cart');
  await waitForHydration(page);
  await expect(line(page, 'Adobe Acrobat Pro 2024')).toBeVisible();
  await addLine(page, 'office-ltsc-standard-2024', '2');
  await addLine(page, 'dell-latitude-5420', '1');
  await expect(page.getByText('Votre demande deviendra 2 commandes')).toBeVisible();

  // Over the quota, and a partner not qualified: refused, and no "Continuer".
  await addLine(page, 'visio-ltsc-professional-2024', '51');
  await addLine(page, 'autodesk-autocad-2026', '1');
  await page.getByRole('button', { name: 'Vérifier la qualification' }).click();
  await expect(page.locator('.server-verdict')).toContainText('Lignes refusées : 2.');
  await expect(page.getByText('Retirez ou corrigez les lignes refusées')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continuer' })).toHaveCount(0);
  await expectNoAxeViolations(page, testInfo);
  await line(page, 'AutoCAD 2026').getByRole('button', { name: /Retirer/ }).click();
  await line(page, 'Visio LTSC Professional 2024').getByRole('button', { name: /Retirer/ }).click();

  // Accepted: the registered address, then "Continuer" (clicked twice: one checkout).
  await page.getByRole('button', { name: 'Vérifier la qualification' }).click();
  await expect(page.locator('.server-verdict')).toContainText('toutes les lignes sont acceptées');
  await expect(page.getByRole('heading', { name: 'Adresse enregistrée' })).toBeVisible();
  await expect(page.locator('address.registered-address')).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await page.getByRole('button', { name: 'Continuer' }).dblclick();
  await page.waitForURL(/\/checkout\/[0-9a-f-]+$/);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Demande envoyée', level: 1 })).toBeVisible();
  // The confirmation is served as islands: the browser loaded it, with the islands' module.
  await expect(page.locator('head link[rel="preload"][as="fetch"]')).toHaveAttribute('href', ISLANDS_MODULE);

  // Two orders, software then hardware, with their totals and communications.
  const orders = page.locator('li.order-summary');
  await expect(orders).toHaveCount(2);
  const catalogue = await (
    await page.request.post('/api/list_catalogue', { headers: { accept: 'application/json' }, form: { language: 'fr' } })
  ).json();
  const fee = (slug: string) => catalogue.find((p: { slug: string }) => p.slug === slug).admin_fee as number;
  const expected = {
    software: 2 * fee('office-ltsc-standard-2024') + fee('adobe-acrobat-pro-2024'),
    hardware: fee('dell-latitude-5420'),
  };
  const communications = [];
  for (const category of ['software', 'hardware'] as const) {
    const order = page.locator(`li.order-summary[data-category="${category}"]`);
    const net = cents((await order.locator('dd.net').textContent()) ?? '');
    const vat = cents((await order.locator('dd.vat').textContent()) ?? '');
    const total = cents((await order.locator('dd.total').textContent()) ?? '');
    expect(net).toBe(expected[category]);
    expect(vat).toBe(Math.round((net * 21) / 100));
    expect(total).toBe(net + vat);
    const communication = (await order.locator('dd.communication').textContent()) ?? '';
    expect(communication).toMatch(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/);
    const digits = communication.replace(/\D/g, '');
    const base = Number(digits.slice(0, 10));
    expect(Number(digits.slice(10))).toBe(base % 97 === 0 ? 97 : base % 97);
    communications.push(communication);
  }
  expect(communications[0]).not.toBe(communications[1]);
  await expectNoAxeViolations(page, testInfo);

  // The printable invoice and its PDF.
  await orders.first().getByRole('link', { name: /Voir la facture/ }).click();
  await page.waitForURL(/\/invoices\/[0-9a-f-]+$/);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: /^Facture \d{4}-\d{6}$/ })).toBeVisible();
  await expect(page.locator('article.invoice').getByText('BE23 0015 1859 2691')).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  const pdfHref = await page.getByRole('link', { name: 'Télécharger le PDF' }).getAttribute('href');
  const pdf = await page.request.get(pdfHref ?? '');
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');

  // The cart is empty again.
  await page.goto('/cart');
  await waitForHydration(page);
  await expect(page.getByText('Votre panier est vide.')).toBeVisible();
  expect(errors).toEqual([]);
});

test('staff import a camt.053 statement and see the payments to deal with', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await login(page, 'staff');
  // The page's work is one island, in the `payments` module.
  const modules = watchWasm(page);
  await page.goto('/admin/payments');
  await waitForHydration(page);
  expect(modules).toEqual([expect.stringMatching(pageModule('payments'))]);
  await expect(page.getByRole('heading', { name: 'Paiements', level: 1 })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  // Both projects import the same file: the second finds every line already imported.
  await page.getByLabel('Extrait (XML)').setInputFiles('../server/tests/data/camt053_statement.xml');
  await page.getByRole('button', { name: 'Importer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Extrait importé : 6 crédits' })).toBeVisible();
  await waitForHydration(page);
  await expect(page.locator('table.payments tbody tr').first()).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  // A transfer typed in by hand with a communication no invoice carries.
  await page.getByLabel('Communication structurée ou n° de facture').fill('+++090/9090/90922+++');
  await page.getByLabel('Montant', { exact: true }).fill('12,50');
  await page.getByLabel('Date', { exact: true }).fill('2026-11-27');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page.getByText('Paiement enregistré : Non rapproché')).toBeVisible();
  // A bad amount is refused with its reason.
  await page.getByLabel('Montant', { exact: true }).fill('-3');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page.getByText('Montant positif, au plus deux décimales')).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  expect(errors).toEqual([]);
});

// A product's page is served as islands (app::ui::islands): "Ajouter au panier" is an island of
// the small module, not the whole app's, and still adds the line, says so, and shows the
// server's refusal in French.
test('a product page adds to the cart with the islands module alone', async ({ page, baseURL }, testInfo) => {
  const errors = watchErrors(page);
  const { holderEmail, password } = await freshOrganisation(baseURL ?? '', ['hardware']);
  await login(page, holderEmail, password);
  const modules = watchWasm(page);
  await page.goto('/catalogue/dell-latitude-5420');
  await waitForHydration(page);
  expect(modules).toEqual([expect.stringMatching(ISLANDS_MODULE)]);
  await expectNoAxeViolations(page, testInfo);
  await page.getByLabel('Quantité').fill('2');
  await page.getByRole('button', { name: 'Ajouter au panier' }).click();
  await expect(page.getByText('Ajouté au panier.')).toBeVisible();
  await page.getByRole('link', { name: 'Voir le panier' }).click();
  await waitForHydration(page);
  const laptop = line(page, 'Dell Latitude 5420 – portable 14 pouces');
  await expect(laptop).toBeVisible();
  await expect(laptop.getByLabel('Quantité')).toHaveValue('2');
  // Refused by the server (the session has ended meanwhile): the island says so in French,
  // with the way back, and the cart is left as it was.
  await page.goto('/catalogue/dell-latitude-5420');
  await waitForHydration(page);
  const session = (await page.context().cookies()).find((c) => c.name === 'portal_session')!;
  await page.context().clearCookies();
  await page.getByRole('button', { name: 'Ajouter au panier' }).click();
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText('Connectez-vous pour voir cette page.');
  await expect(refusal.getByRole('link', { name: 'Se connecter' })).toBeVisible();
  await expect(page.getByText('Ajouté au panier.')).toHaveCount(0);
  await page.context().addCookies([session]);
  await page.goto('/cart');
  await waitForHydration(page);
  await expect(laptop.getByLabel('Quantité')).toHaveValue('2');
  expect(errors).toEqual([]);
});

test('"Continuer" in two tabs of one cart places one set of orders, and the second tab shows them', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const { holder, holderEmail, password } = await freshOrganisation(baseURL ?? '', ['hardware']);
  const headers = { accept: 'application/json' };
  const saved = await holder.post('/api/save_cart', {
    headers,
    form: { 'lines[0][slug]': 'dell-latitude-5420', 'lines[0][quantity]': '2' },
  });
  expect(saved.ok(), await saved.text()).toBe(true);
  await login(page, holderEmail, password);
  // Two tabs of one browser, both at the last step of the same cart.
  const other = await page.context().newPage();
  const otherErrors = watchErrors(other);
  for (const tab of [page, other]) {
    await tab.goto('/cart');
    await waitForHydration(tab);
    await tab.getByRole('button', { name: 'Vérifier la qualification' }).click();
    await expect(tab.locator('.server-verdict')).toContainText('toutes les lignes sont acceptées');
    await expect(tab.getByRole('button', { name: 'Continuer' })).toBeEnabled();
  }
  await expectNoAxeViolations(other, testInfo);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.waitForURL(/\/checkout\/[0-9a-f-]+$/);
  await other.getByRole('button', { name: 'Continuer' }).click();
  await other.waitForURL(/\/checkout\/[0-9a-f-]+$/);
  expect(other.url()).toBe(page.url());
  await waitForHydration(other);
  await expect(other.getByRole('heading', { name: 'Demande envoyée', level: 1 })).toBeVisible();
  await expect(other.locator('li.order-summary')).toHaveCount(1);
  // One order in "Mes demandes", not two.
  await other.goto('/requests');
  await waitForHydration(other);
  await expect(other.locator('ul.order-list > li')).toHaveCount(1);
  await holder.dispose();
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});

test('a Cisco switch, a refurbished laptop and Office become three orders, and the laptop ships without waiting for Cisco', async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(150_000);
  const errors = watchErrors(page);
  const { holder, holderEmail, password } = await freshOrganisation(baseURL ?? '', ['cisco', 'hardware', 'microsoft']);
  const headers = { accept: 'application/json' };
  const saved = await holder.post('/api/save_cart', {
    headers,
    form: {
      'lines[0][slug]': 'cisco-catalyst-1000-24p-4g-l',
      'lines[0][quantity]': '1',
      'lines[1][slug]': 'dell-latitude-5420',
      'lines[1][quantity]': '1',
      'lines[2][slug]': 'office-ltsc-standard-2024',
      'lines[2][quantity]': '3',
    },
  });
  expect(saved.ok(), await saved.text()).toBe(true);
  await login(page, holderEmail, password);
  await page.goto('/cart');
  await waitForHydration(page);
  await expect(page.getByText('Votre demande deviendra 3 commandes')).toBeVisible();
  await page.getByRole('button', { name: 'Vérifier la qualification' }).click();
  await expect(page.locator('.server-verdict')).toContainText('toutes les lignes sont acceptées');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.waitForURL(/\/checkout\/[0-9a-f-]+$/);
  await waitForHydration(page);
  await expect(page.locator('li.order-summary')).toHaveCount(3);
  await expectNoAxeViolations(page, testInfo);

  // Which order holds what, as the organisation's API tells.
  const checkoutId = page.url().split('/').pop() ?? '';
  const invoices = await (await holder.post('/api/load_checkout', { headers, form: { checkout_id: checkoutId } })).json();
  const slugsOf = async (orderId: string) => {
    const order = await (await holder.post('/api/load_order', { headers, form: { order_id: orderId } })).json();
    return (order.lines as { product_slug: string }[]).map((l) => l.product_slug);
  };
  const byPath: Record<string, string> = {};
  for (const invoice of invoices as { order_id: string }[]) {
    byPath[(await slugsOf(invoice.order_id)).join(',')] = invoice.order_id;
  }
  expect(Object.keys(byPath).sort()).toEqual(['cisco-catalyst-1000-24p-4g-l', 'dell-latitude-5420', 'office-ltsc-standard-2024']);
  await holder.dispose();

  // Staff: both hardware orders paid; the laptop's goes to the partner at once, Cisco's waits.
  const staff = await (await browser.newContext()).newPage();
  await login(staff, 'agent');
  const laptop = byPath['dell-latitude-5420'];
  const cisco = byPath['cisco-catalyst-1000-24p-4g-l'];
  for (const id of [laptop, cisco]) {
    await staff.goto(`/admin/orders/${id}`);
    await waitForHydration(staff);
    await staff.getByRole('button', { name: 'Marquer payée' }).click();
    await expect(staff.getByTestId('order-status')).toHaveText('Payée');
  }
  await expect(staff.locator('.cisco-approval')).toBeVisible();
  await expect(staff.getByRole('button', { name: 'Transmettre au partenaire' })).toHaveCount(0);
  await staff.goto(`/admin/orders/${laptop}`);
  await waitForHydration(staff);
  await expect(staff.locator('.cisco-approval')).toHaveCount(0);
  await staff.getByRole('button', { name: 'Transmettre au partenaire' }).click();
  await expect(staff.getByTestId('order-status')).toHaveText('Transmise au partenaire');
  await expectNoAxeViolations(staff, testInfo);

  // The organisation sees the laptop on its way and Cisco's order still awaiting approval.
  await page.goto(`/requests/${laptop}`);
  await waitForHydration(page);
  await expect(page.getByTestId('order-status')).toHaveText('Transmise au partenaire');
  await page.goto(`/requests/${cisco}`);
  await waitForHydration(page);
  await expect(page.getByTestId('order-status')).toHaveText('Payée');
  await staff.context().close();
  expect(errors).toEqual([]);
});
