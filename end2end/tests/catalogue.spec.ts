import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, waitForHydration, watchErrors } from './helpers';

// The catalogue's filters live in the address (`/catalogue?q=…&partner=…&kind=…`): a GET form
// without JavaScript, live filtering with it, and the same view from a shared link.

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the catalogue filters by partner through its form', async ({ page }) => {
    await page.goto('/catalogue');
    const cards = page.locator('.product-card:visible');
    expect(await cards.count()).toBeGreaterThanOrEqual(40);

    await page.locator('#filter-partner').selectOption('zoom');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await expect(page).toHaveURL(/\/catalogue\?(.*&)?partner=zoom(&|$)/);
    await expect(cards).toHaveCount(2);
    await expect(page.locator('.product-card:visible:not([data-slug^="zoom-"])')).toHaveCount(0);
    await expect(page.locator('#filter-partner')).toHaveValue('zoom');
  });
});

test('with JavaScript the filters apply at once and the address follows, without a reload', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await page.goto('/catalogue');
  await waitForHydration(page);
  const cards = page.locator('.product-card:visible');
  // A reload would forget this.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));

  await page.locator('#filter-partner').selectOption('zoom');
  await expect(page).toHaveURL(/\/catalogue\?partner=zoom$/);
  await expect(cards).toHaveCount(2);

  // Typing keeps the focus and every letter, and the address carries the word.
  const search = page.locator('#catalogue-search');
  await search.click();
  await search.pressSequentially('business');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('business');
  await expect(page).toHaveURL(/\/catalogue\?q=business&partner=zoom$/);
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toHaveAttribute('data-slug', 'zoom-workplace-business-1-year-50');
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  await expectNoAxeViolations(page, testInfo);

  // The address reproduces the view.
  await page.goto(page.url());
  await waitForHydration(page);
  await expect(cards).toHaveCount(1);
  await expect(page.locator('#filter-partner')).toHaveValue('zoom');
  await expect(search).toHaveValue('business');
  expect(errors).toEqual([]);
});

test('what is typed before the page is interactive is applied once it is', async ({ page }) => {
  const errors = watchErrors(page);
  // The islands' module is held back until the search box holds a word.
  let release: () => void = () => {};
  const typed = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pkg\/islands\.[^/]*\.wasm$/, async (route) => {
    await typed;
    await route.continue();
  });
  await page.goto('/catalogue');
  const search = page.locator('#catalogue-search');
  await search.fill('business');
  await expect(page.locator('main[data-hydrated="true"]')).toHaveCount(0);
  release();

  await waitForHydration(page);
  const cards = page.locator('.product-card:visible');
  // The server's page showed every product; "business" is in two of them.
  await expect(cards).toHaveCount(2);
  await expect(page.locator('.product-card:visible[data-slug="zoom-workplace-business-1-year-50"]')).toHaveCount(1);
  await expect(page).toHaveURL(/\/catalogue\?q=business$/);
  await expect(page.locator('.result-count')).toContainText('2');
  expect(errors).toEqual([]);
});
