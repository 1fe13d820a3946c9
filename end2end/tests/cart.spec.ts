import { test, expect, type Page } from '@playwright/test';
import { CART_MODULE, emptyCart, expectNoAxeViolations, login, waitForHydration, watchErrors, watchWasm } from './helpers';

/** Adds a product to the cart through the "Ajouter un produit" form. */
async function addLine(page: Page, slug: string, quantity: string) {
  await page.getByLabel('Produit', { exact: true }).selectOption(slug);
  await page.locator('#add-quantity').fill(quantity);
  await page.getByRole('button', { name: 'Ajouter au panier' }).click();
}

/** The cart line whose heading is `name`. */
const line = (page: Page, name: string) =>
  page.locator('li.cart-line').filter({ has: page.getByRole('heading', { name, exact: true }) });

/** Asks the server and checks that its verdict is, field for field, the one the browser computed. */
async function verifyAndCompare(page: Page) {
  await page.getByRole('button', { name: 'Vérifier la qualification' }).click();
  const server = page.locator('.server-verdict');
  await expect(server).toBeVisible();
  const fromServer = JSON.parse((await server.getAttribute('data-verdict')) ?? 'null');
  const inBrowser = JSON.parse((await page.locator('aside.meter').getAttribute('data-verdict')) ?? 'null');
  expect(fromServer.lines.length).toBeGreaterThan(0);
  expect(inBrowser).toEqual(fromServer);
  return fromServer;
}

test('the allowance meter follows the cart in the browser and agrees with the server', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await login(page, 'amis');
  // The cart is one island in a module of its own: the meter's engine runs there, and the
  // whole app's module is not loaded.
  const modules = watchWasm(page);
  await page.goto('/cart');
  await waitForHydration(page);
  expect(modules).toEqual([expect.stringMatching(CART_MODULE)]);
  // The cart is kept per organisation: start from an empty one.
  await emptyCart(page);
  // The demo's Amis du Quartier used 10 Office licences and 5 non-core server licences in the
  // Microsoft cycle that started on 4 March 2026.
  const microsoft = page.locator('aside.meter li').filter({ hasText: 'Microsoft' });
  await expect(microsoft).toContainText('Microsoft : 1/10 familles — Office 10/50');
  await expect(microsoft).toContainText('serveur hors cœur 5/5');
  await expect(microsoft).toContainText('nouvelle allocation le 4 mars 2028');
  await expectNoAxeViolations(page, testInfo);

  // Validation of the add form: nothing chosen.
  await page.getByRole('button', { name: 'Ajouter au panier' }).click();
  await expect(page.getByText('Choisissez un produit.')).toBeVisible();

  await addLine(page, 'office-ltsc-standard-2024', '40');
  await expect(microsoft).toContainText('Office 50/50');
  await expect(line(page, 'Office LTSC Standard 2024').locator('.line-status')).toHaveText('Accepté');

  await addLine(page, 'windows-server-2025-user-cal', '1');
  await expect(microsoft).toContainText('serveur hors cœur 6/5');
  await expect(line(page, 'Windows Server 2025 User CAL').locator('.line-status')).toContainText(
    'Refusé : 5 licences serveur hors cœur déjà utilisées',
  );
  await expect(line(page, 'Windows Server 2025 User CAL').locator('.line-status')).toContainText(
    'Possible à partir du 4 mars 2028',
  );

  const creativeCloud = 'Adobe Creative Cloud Toutes les applications – réduction';
  await addLine(page, 'adobe-creative-cloud-all-apps-discount', '1');
  await expect(line(page, creativeCloud).locator('.line-status')).toContainText("Indiquez l'e-mail de la personne");
  await line(page, creativeCloud).getByLabel("E-mail de la personne qui utilisera l'abonnement").fill('ana@amis.example.org');
  await expect(line(page, creativeCloud).locator('.line-status')).toHaveText('Accepté');

  // A refurbished laptop: software and hardware will become two orders.
  await expect(page.getByText('Votre demande deviendra 2 commandes')).toHaveCount(0);
  await addLine(page, 'dell-latitude-5420', '2');
  await expect(page.getByText('Votre demande deviendra 2 commandes')).toBeVisible();

  await addLine(page, 'autodesk-autocad-2026', '1');
  await expect(line(page, 'AutoCAD 2026').locator('.line-status')).toContainText("n'est pas qualifiée pour ce partenaire");
  await expectNoAxeViolations(page, testInfo);

  let verdict = await verifyAndCompare(page);
  expect(verdict.lines.filter((l: unknown) => l !== 'Accepted')).toHaveLength(2);
  await expect(page.locator('.server-verdict')).toContainText('Lignes refusées : 2.');

  // One licence too many: the meter moves at once, the earlier answer is marked stale.
  await line(page, 'Office LTSC Standard 2024').getByLabel('Quantité').fill('41');
  await expect(microsoft).toContainText('Office 51/50');
  await expect(page.getByText('Le panier a changé depuis la vérification')).toBeVisible();
  verdict = await verifyAndCompare(page);
  expect(verdict.lines.filter((l: unknown) => l !== 'Accepted')).toHaveLength(3);

  await line(page, 'AutoCAD 2026').getByRole('button', { name: /Retirer/ }).click();
  await line(page, 'Dell Latitude 5420 – portable 14 pouces').getByRole('button', { name: /Retirer/ }).click();
  await expect(page.getByText('Votre demande deviendra 2 commandes')).toHaveCount(0);
  await line(page, 'Windows Server 2025 User CAL').getByRole('button', { name: /Retirer/ }).click();
  await line(page, 'Office LTSC Standard 2024').getByLabel('Quantité').fill('40');
  verdict = await verifyAndCompare(page);
  expect(verdict.lines).toEqual(['Accepted', 'Accepted']);
  await expect(page.locator('.server-verdict')).toContainText('toutes les lignes sont acceptées');
  await expectNoAxeViolations(page, testInfo);
  expect(errors).toEqual([]);
});

test('the cart asks visitors to log in', async ({ page }, testInfo) => {
  await page.goto('/cart');
  await waitForHydration(page);
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('alert').getByRole('link', { name: 'Se connecter' })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
});
