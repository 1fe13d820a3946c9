import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations, expectNoAxeViolations, isPhone, ISLANDS_MODULE, login, waitForHydration, watchErrors, watchWasm } from './helpers';

/** The home counters, recomputed here from the demo data files the server loaded. */
function expectedCounters() {
  const demo = join(__dirname, '..', '..', 'demo');
  const catalogue = JSON.parse(readFileSync(join(demo, 'catalogue.json'), 'utf8'));
  const people = JSON.parse(readFileSync(join(demo, 'organisations.json'), 'utf8'));
  const bySlug = new Map<string, any>(catalogue.products.map((p: any) => [p.slug, p]));
  let savedCents = 0;
  let products = 0;
  for (const org of people.organisations) {
    for (const order of org.orders ?? []) {
      if (order.status !== 'fulfilled') continue;
      for (const line of order.lines) {
        const p = bySlug.get(line.product);
        savedCents += (p.commercial_value_cents - p.admin_fee_cents) * line.quantity;
        products += line.quantity;
      }
    }
  }
  return { organisations: people.organisations.length, savedEuros: Math.floor(savedCents / 100), products };
}

const digits = (text: string | null) => (text ?? '').replace(/\D/g, '');

test('home page shows the demo counters and hydrates', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('La technologie au service de votre association');
  const expected = expectedCounters();
  // Registration tests running alongside may add organisations, never remove any.
  await expect(page.getByTestId('count-organisations')).toHaveText(/^\d+$/);
  const organisations = Number(digits(await page.getByTestId('count-organisations').textContent()));
  expect(organisations).toBeGreaterThanOrEqual(expected.organisations);
  // Order tests running alongside may fulfil orders (more products and savings), never undo
  // one; server/tests/database.rs checks the demo's exact figures.
  expect(Number(digits(await page.getByTestId('count-saved').textContent()))).toBeGreaterThanOrEqual(expected.savedEuros);
  expect(Number(digits(await page.getByTestId('count-products').textContent()))).toBeGreaterThanOrEqual(expected.products);
  await waitForHydration(page);
  expect(errors).toEqual([]);
});

test('the pages hydrate under their Content Security Policy, lazy pages included', async ({ page }) => {
  // Recorded by the browser itself: a blocked script, style or WASM compile fires this event.
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const errors = watchErrors(page);
  const nonces = new Set<string>();
  const visit = async (path: string) => {
    const response = await page.goto(path);
    const policy = response!.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("object-src 'none'");
    nonces.add(/'nonce-([^']+)'/.exec(policy)?.[1] ?? '');
    await waitForHydration(page);
    expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
  };
  await visit('/');
  await visit('/catalogue');
  await visit('/login');
  // Registration is hydrated whole, from the app's module and the account pages' chunk.
  await visit('/register');
  // A lazy page of another chunk reached by a client-side navigation, after hydration.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));
  await page.locator('footer a[href="/terms"]').click();
  await expect(page).toHaveURL(/\/terms$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await waitForHydration(page);
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
  // The admin's session from the global setup (its second factor was answered there): a
  // staff page, one island in a module of its own.
  await login(page, 'staff');
  await visit('/admin/rules');
  expect(nonces.size, 'a new nonce per page').toBe(5);
  expect(errors).toEqual([]);
});

test('the language switch changes the text and is remembered'
, async ({ page }, testInfo) => {
  await page.goto('/');
  await waitForHydration(page);
  if (isPhone(testInfo)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Technology that serves your nonprofit');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // The home page is served as islands: it was loaded again in English, its menu folded.
  await waitForHydration(page);
  if (isPhone(testInfo)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');

  // The server renders the next page in the chosen language.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Technology that serves your nonprofit');

  await waitForHydration(page);
  if (isPhone(testInfo)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await page.getByRole('button', { name: 'Nederlands' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Technologie ten dienste van uw vereniging');
});

// The home page is served as islands (app::ui::islands): it loads the islands' module, whose
// only code is the menu button and the language switch, not the whole app's; a page hydrated
// whole still loads the app's module, and a visitor moves between the two kinds of page.
test('the home page loads only the islands module, and its islands answer', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  const modules = watchWasm(page);
  await page.goto('/');
  await waitForHydration(page);
  expect(modules).toEqual([expect.stringMatching(ISLANDS_MODULE)]);
  await expect(page.locator('leptos-island')).toHaveCount(2);
  // The language switch is an island: on an island page it loads the page again in the
  // chosen language, which the next page keeps.
  if (isPhone(testInfo)) await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('button', { name: 'Nederlands' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Technologie ten dienste van uw vereniging');
  await waitForHydration(page);
  if (isPhone(testInfo)) await page.getByRole('button', { name: 'Menu' }).click();
  await expect(page.getByRole('button', { name: 'Nederlands' })).toHaveAttribute('aria-pressed', 'true');
  modules.length = 0;
  await page.goto('/contact');
  await waitForHydration(page);
  expect(modules.some((path) => /^\/pkg\/portal\./.test(path)), modules.join(', ')).toBe(true);
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  // The same island, hydrated with the whole app: the language changes without a reload.
  if (isPhone(testInfo)) await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nous contacter');
  expect(errors).toEqual([]);
});

test('from a page of the whole app, a link to a page served as islands loads it from the server', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  const modules = watchWasm(page);
  await page.goto('/contact');
  await waitForHydration(page);
  expect(modules.some((path) => /^\/pkg\/portal\./.test(path)), modules.join(', ')).toBe(true);
  // The whole app's router would render the catalogue itself: the link is the browser's,
  // and the page arrives with the islands' module. "Back" returns to the page before.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));
  modules.length = 0;
  if (isPhone(testInfo)) await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Catalogue', exact: true }).click();
  await expect(page).toHaveURL(/\/catalogue$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Catalogue');
  await waitForHydration(page);
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBeUndefined();
  expect(modules).toEqual([expect.stringMatching(ISLANDS_MODULE)]);
  await expect(page.locator('.product-card:visible').first()).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/contact$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nous contacter');
  expect(errors).toEqual([]);
});

test('the navigation folds behind a menu button on phones only', async ({ page }, testInfo) => {
  await page.goto('/');
  await waitForHydration(page);
  const menu = page.getByRole('button', { name: 'Menu' });
  const catalogueLink = page.getByRole('navigation').getByRole('link', { name: 'Catalogue', exact: true });
  if (!isPhone(testInfo)) {
    // Desktop: no menu button, the links are always there.
    await expect(menu).toBeHidden();
    await catalogueLink.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Catalogue');
    return;
  }
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(catalogueLink).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await catalogueLink.click();
  await expect(page).toHaveURL(/\/catalogue$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Catalogue');
  // Navigating closes the menu again.
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
});

test('the catalogue filters as you type, ignoring accents', async ({ page }) => {
  const modules = watchWasm(page);
  await page.goto('/catalogue');
  await waitForHydration(page);
  // The catalogue is served as islands: its filters are an island over the server's cards,
  // which they show and hide.
  expect(modules).toEqual([expect.stringMatching(ISLANDS_MODULE)]);
  const cards = page.locator('.product-card:visible');
  const total = await cards.count();
  expect(total).toBeGreaterThanOrEqual(40);

  const search = page.getByLabel('Rechercher un produit');
  await search.fill('thinkpad');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('ThinkPad');
  await expect(page.getByRole('status')).toContainText('1');

  await search.fill('materiel reconditionne');
  await expect(page.getByRole('heading', { level: 2, name: 'Matériel reconditionné' })).toBeVisible();

  await search.fill('zzzz introuvable');
  await expect(cards).toHaveCount(0);
  await expect(page.getByText('Aucun produit ne correspond à votre recherche.')).toBeVisible();

  await search.fill('');
  await expect(cards).toHaveCount(total);
});

test('an unknown address shows the 404 page', async ({ page }) => {
  const response = await page.goto('/nulle-part');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page introuvable');
  await page.getByRole('link', { name: "Retour à l'accueil" }).click();
  await expect(page).toHaveURL(/\/$/);
});

/** The site's files the home page names: its stylesheet, JS module and WASM (hashed names). */
async function bundleFiles(request: import('@playwright/test').APIRequestContext): Promise<string[]> {
  const html = await (await request.get('/')).text();
  const files = [...html.matchAll(/(?:href|src)="(\/pkg\/[^"]+\.(?:css|js|wasm))"/g)].map((m) => m[1]);
  return [...new Set(files)];
}

test('the bundle goes out precompressed, under hashed names cached for a year', async ({ request }) => {
  const files = await bundleFiles(request);
  // The stylesheet, the JS module and the WASM, each `name.<22-character hash>.ext`.
  for (const ext of ['css', 'js', 'wasm']) {
    expect(files.filter((f) => f.endsWith(`.${ext}`)).length, ext).toBeGreaterThan(0);
  }
  for (const file of files) expect(file).toMatch(/\.[A-Za-z0-9_-]{22}\.(css|js|wasm)$/);
  for (const [accepted, encoding] of [
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
  ]) {
    for (const file of files) {
      const response = await request.get(file, { headers: { 'accept-encoding': accepted } });
      expect(response.status(), file).toBe(200);
      const headers = response.headers();
      expect(headers['content-encoding'], `${file} ${accepted}`).toBe(encoding);
      // The copy written at build time has a length; the on-the-fly compression streams
      // without one.
      expect(Number(headers['content-length']), `${file} ${accepted}`).toBeGreaterThan(0);
      expect(headers['cache-control'], file).toBe('public, max-age=31536000, immutable');
    }
  }
});

test("the bundle's files keep their own status while pages around them answer 401", async ({ request }) => {
  // leptos_axum's file handler answered a file inside a reactive owner that could inherit
  // another request's ResponseOptions: a WASM chunk arrived with its bytes and a 401, and the
  // staff pages never loaded. Before the fix this mix gave 3,292 non-200 files in 4,000.
  const pages = ['/requests', '/admin', '/account', '/cart']; // 401 for a visitor
  const bundle = await bundleFiles(request);
  const css = bundle.find((f) => f.endsWith('.css'))!;
  const wasm = bundle.find((f) => f.endsWith('.wasm'))!;
  const files = [css, wasm, '/favicon.svg'];
  const statuses: Record<string, number> = {};
  for (let round = 0; round < 60; round++) {
    const answers = await Promise.all([
      ...pages.map((path) => request.get(path).then((r) => ['page', r.status()] as const)),
      ...files.map((path) => request.head(path).then((r) => [path, r.status()] as const)),
    ]);
    for (const [what, status] of answers) {
      const key = `${what} ${status}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  }
  expect(statuses).toEqual({
    'page 401': 240,
    [`${css} 200`]: 60,
    [`${wasm} 200`]: 60,
    '/favicon.svg 200': 60,
  });
});

// `waitForHydration` is what every test waits for before it clicks: on a lazily loaded page it
// must not say "hydrated" before the page's own WASM chunk has arrived and taken the page over,
// or a click in between finds no listener (the flaky staff test of an earlier CI run).
test('a lazily loaded page is marked hydrated only once its own chunk has run', async ({ page }) => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let requested = false;
  await page.route(/\/pkg\/split_public_pages_[^/]*\.wasm$/, async (route) => {
    requested = true;
    await gate;
    await route.continue();
  });
  // The contact page is in the public pages' chunk (help, served as islands, needs none).
  await page.goto('/contact');
  // The main module asks for the chunk while it hydrates the shell; held, the page stays
  // unmarked however long it waits.
  await expect.poll(() => requested).toBe(true);
  await page.waitForTimeout(1_000);
  await expect(page.locator('main')).toHaveAttribute('data-hydrated', 'false');
  release();
  await waitForHydration(page);
});

test('the accessibility scan the tests use finds violations, and no page has a frame it would skip', async ({ page }) => {
  // A page of the app whose main gets an unlabelled image and a button without a name.
  await page.goto('/contact');
  await waitForHydration(page);
  expect((await axeViolations(page)).violations).toEqual([]);
  await page.evaluate(() => {
    const main = document.querySelector('main')!;
    main.insertAdjacentHTML('beforeend', '<img src="/favicon.ico"><button></button>');
  });
  const found = (await axeViolations(page)).violations.map((v) => v.id).sort();
  expect(found).toEqual(['button-name', 'image-alt']);
  // The scan runs in the page itself (legacy mode): it would not assemble a frame's results.
  for (const path of ['/', '/catalogue', '/contact', '/login']) {
    await page.goto(path);
    await expect(page.locator('iframe, frame')).toHaveCount(0);
  }
});

for (const path of ['/', '/catalogue', '/nulle-part']) {
  test(`axe finds no violation on ${path}`, async ({ page }, testInfo) => {
    await page.goto(path);
    await waitForHydration(page);
    await expectNoAxeViolations(page, testInfo);
    if (isPhone(testInfo)) {
      // The opened menu too.
      await page.getByRole('button', { name: 'Menu' }).click();
      await expectNoAxeViolations(page, testInfo);
    }
  });
}
