// Web vitals of every staff page, for `bench/run.sh` (full mode; the test command's short
// run measures a sample of them in `vitals.spec.ts`): each `/admin` route of the route table
// (app/src/ui/app.rs), as the demo's admin, loaded as `vitals.spec.ts` loads its pages. A
// route's parameter comes from the demo: the first order the queue lists, its organisation,
// a conversation (a visitor's message sent first), a product, and a migration's dry run of
// the sample files (docs/migration-sample).
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_MFA_SECRET, totp } from '../tests/helpers';
import { measurePage, observeVitals, PASSWORD, throttle } from './measure';

const MIGRATION_FILES = ['organisations', 'people', 'qualifications', 'documents', 'orders', 'order_lines', 'counters'];

test('web vitals of every staff page on a throttled phone', async ({ page }) => {
  test.setTimeout(30 * 60_000);
  const routes = [...fs.readFileSync(path.resolve('..', 'app', 'src', 'ui', 'app.rs'), 'utf8').matchAll(/path=path!\("(\/admin[^"]*)"\)/g)].map(
    (m) => m[1],
  );
  expect(routes.length).toBeGreaterThanOrEqual(26);

  // A visitor's message, for a conversation to open.
  const sent = await page.request.post('/api/send_contact_message', {
    form: {
      'form[name]': 'Visiteur des mesures',
      'form[email]': `vitals-${Date.now()}@example.org`,
      'form[topic]': 'invoice',
      'form[subject]': 'Une facture introuvable',
      'form[message]': 'Bonjour, nous ne retrouvons pas la facture de notre commande.',
    },
    headers: { accept: 'application/json' },
  });
  expect(sent.status()).toBe(200);

  const login = await page.request.post('/api/login', {
    form: { identifier: 'staff', password: PASSWORD },
    headers: { accept: 'application/json' },
  });
  expect(login.status()).toBe(200);
  const code = await page.request.post('/api/verify_mfa', {
    form: { code: totp(DEMO_MFA_SECRET) },
    headers: { accept: 'application/json' },
  });
  expect(code.status()).toBe(200);

  const firstLink = async (list: string, pattern: RegExp) => {
    const found = (await (await page.request.get(list)).text()).match(pattern);
    expect(found, `a link in ${list}`).not.toBeNull();
    return found![1];
  };
  const order = await firstLink('/admin/orders?status=', /href="(\/admin\/orders\/[0-9a-f-]{36})"/);
  const organisation = await firstLink(order, /href="(\/admin\/organisations\/[0-9a-f-]{36})"/);
  const conversation = await firstLink('/admin/contact?status=', /href="(\/admin\/contact\/[0-9a-f-]{36})"/);
  const multipart: Record<string, { name: string; mimeType: string; buffer: Buffer }> = {};
  for (const file of MIGRATION_FILES) {
    const csv = fs.readFileSync(path.resolve('..', 'docs', 'migration-sample', `${file}.csv`));
    multipart[file] = { name: `${file}.csv`, mimeType: 'text/csv', buffer: csv };
  }
  const uploaded = await page.request.post('/admin/import/migration', { multipart, maxRedirects: 0 });
  expect(uploaded.status()).toBe(303);
  const run = uploaded.headers()['location'];
  expect(run).toMatch(/^\/admin\/import\/migration\/[^/?#]+$/);
  const address: Record<string, string> = {
    '/admin/orders/:id': order,
    '/admin/organisations/:id': organisation,
    '/admin/contact/:id': conversation,
    '/admin/catalogue/:slug': '/admin/catalogue/office-ltsc-standard-2024',
    '/admin/import/migration/:id': run,
  };

  await page.addInitScript(observeVitals);
  const cdp = await throttle(page);
  for (const route of routes) {
    const target = route.includes(':') ? address[route] : route;
    expect(target, `an address for ${route}`).toBeDefined();
    await measurePage(page, cdp, `staff_route${route.replace(/[/:-]+/g, '_')}`, target);
  }
});
