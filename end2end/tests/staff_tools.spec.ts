import { test, expect } from '@playwright/test';
import path from 'node:path';
import {
  confirmRegistration,
  expectNoAxeViolations,
  expectNoSidewaysScroll,
  freshEnterpriseNumber,
  login,
  pageModule,
  waitForHydration,
  watchWasm,
  withWrongCheckDigit,
} from './helpers';

const unique = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`;

test('staff import a CSV of branches: good rows are created, the bad one is reported', async ({ page }, testInfo) => {
  await login(page, 'agent');
  await page.goto('/admin/import');
  await waitForHydration(page);
  await expectNoAxeViolations(page, testInfo);
  const id = unique();
  const header =
    'legal_name;legal_form;country;enterprise_number;street;postal_code;city;contact_email;mission_category;holder_name;holder_email';
  const row = (name: string, number: string) =>
    `${name};asbl;BE;${number};Rue 1;1000;Bruxelles;c${name.length}${id}@reseau.example.org;youth;Nom ${name};h-${name.replace(/\W/g, '')}${id}@reseau.example.org`;
  const csv = [
    header,
    row(`Antenne A ${id}`, freshEnterpriseNumber()),
    row(`Antenne B ${id}`, withWrongCheckDigit(freshEnterpriseNumber())),
    row(`Antenne C ${id}`, freshEnterpriseNumber()),
  ].join('\n');
  await page.getByLabel(/Contenu CSV/).fill(csv);
  await page.getByRole('button', { name: 'Importer' }).click();
  await expect(page.getByRole('status')).toHaveText('Créées : 2 · Refusées : 1');
  const rejected = page.locator('ul.import-lines.rejected > li');
  await expect(rejected).toHaveCount(1);
  await expect(rejected).toContainText(`Ligne 3 — Antenne B ${id}`);
  await expect(rejected).toContainText('chiffres de contrôle');
  await expectNoAxeViolations(page, testInfo);
});

test('staff tools and the public question pass axe', async ({ page }, testInfo) => {
  // One axe scan per staff page: 28 s alone at the last count, over 30 s under load.
  test.setTimeout(90_000);
  await page.goto('/is-registered');
  await waitForHydration(page);
  await expectNoAxeViolations(page, testInfo);
  await page.getByLabel("Nom légal de l'organisation").fill('Les Amis du Quartier ASBL');
  await page.getByLabel("Numéro d'entreprise (BCE) ou RCS").fill('0412.345.614');
  await page.getByLabel('Adresse complète').fill('Rue Haute 112, 1000 Bruxelles');
  await page.getByLabel(/Votre adresse e-mail/).fill(`curieux${unique()}@example.org`);
  await page.getByRole('button', { name: 'Envoyer la question' }).click();
  await expect(page.getByText('Merci. Notre équipe vous répondra')).toBeVisible();

  await login(page, 'agent');
  for (const path of ['/admin/reviews', '/admin/inquiries', '/admin/requalify', '/admin/outbox']) {
    await page.goto(path);
    await waitForHydration(page);
    await expectNoAxeViolations(page, testInfo);
  }
  await page.goto('/admin/inquiries');
  await expect(page.getByText('Numéro inscrit : Les Amis du Quartier ASBL').first()).toBeVisible();
  // One island, in a module of its own: the whole app is not loaded.
  const modules = watchWasm(page);
  await page.goto('/admin/requalify');
  await waitForHydration(page);
  expect(modules).toEqual([expect.stringMatching(pageModule('requalify'))]);
  await page.getByLabel('Partenaire').selectOption('autodesk');
  await expect(page.getByRole('checkbox', { name: /Les Amis du Quartier ASBL — Non qualifiée/ })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
});

test('an organisation refused by a partner sees how to appeal', async ({ page }, testInfo) => {
  await login(page, 'amis');
  await expect(page.getByRole('heading', { name: 'Contester une décision' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Membres de l\'organisation' })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
});

test('an account holder asks to change the address and staff accept it', async ({ browser, request, baseURL }, testInfo) => {
  test.setTimeout(90_000);
  const holderEmail = `change${unique()}@test.example.org`;
  const registered = await request.post('/api/register', {
    headers: { accept: 'application/json' },
    form: {
      'form[legal_name]': `ASBL Déménage ${unique()}`,
      'form[legal_form]': 'asbl',
      'form[country]': 'BE',
      'form[enterprise_number]': freshEnterpriseNumber(),
      'form[street]': 'Rue Ancienne 1',
      'form[postal_code]': '4000',
      'form[city]': 'Liège',
      'form[contact_email]': `contact-${holderEmail}`,
      'form[mission_category]': 'health',
      'form[holder_name]': 'Lea Move',
      'form[holder_email]': holderEmail,
      'form[password]': 'une phrase assez longue',
    },
  });
  expect(registered.status()).toBe(200);
  await confirmRegistration(request, baseURL!, holderEmail);
  const page = await (await browser.newContext()).newPage();
  await login(page, holderEmail, 'une phrase assez longue');
  await page.getByLabel('Nouvelle rue et numéro').fill('Rue Neuve 5');
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  // Without a reason, the request is refused and nothing typed is lost.
  await expect(page.locator('#note-error')).toContainText('Ce champ est obligatoire.');
  await expect(page.getByLabel('Nouvelle rue et numéro')).toHaveValue('Rue Neuve 5');
  await page.getByLabel('Raison de la modification').fill('Nous avons déménagé.');
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page.getByText('Demande en attente', { exact: true })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  const staff = await (await browser.newContext()).newPage();
  await login(staff, 'agent');
  // The list and its decisions are one island, in the `changes` module.
  const modules = watchWasm(staff);
  await staff.goto('/admin/changes');
  await waitForHydration(staff);
  expect(modules).toEqual([expect.stringMatching(pageModule('changes'))]);
  await expectNoAxeViolations(staff, testInfo);
  const item = staff.locator('ul.queue > li', { hasText: 'Rue Neuve 5' });
  await item.getByRole('button', { name: 'Accepter et appliquer' }).click();
  await expect(item).toHaveCount(0);

  await page.goto('/account');
  await expect(page.getByText('Rue Neuve 5, 4000 Liège')).toBeVisible();
  await expect(page.getByText('Demande acceptée')).toBeVisible();
});

test('staff check a migration with a dry run and read its report', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await login(page, 'agent');
  await page.goto('/admin/import');
  await waitForHydration(page);
  const files = ['organisations', 'people', 'qualifications', 'documents', 'orders', 'order_lines', 'counters'];
  for (const file of files) {
    await page.locator(`#migration-${file}`).setInputFiles(path.resolve('..', 'docs', 'migration-sample', `${file}.csv`));
  }
  const modules = watchWasm(page);
  await page.getByRole('button', { name: 'Vérifier (essai à blanc)' }).click();
  await expect(page).toHaveURL(/\/admin\/import\/migration\/[^/]+$/);
  await waitForHydration(page);
  await expect(page.getByText("Essai à blanc : rien n'a été écrit.")).toBeVisible();
  // The report is the server's HTML; "Importer" is an island, in a module of its own. It asks
  // first (the import itself is tested over HTTP: it would write the sample for every test).
  expect(modules).toEqual([expect.stringMatching(pageModule('migration'))]);
  await page.getByRole('button', { name: 'Importer', exact: true }).click();
  await expect(page.getByText('Importer ces fichiers ?')).toBeVisible();
  await page.getByRole('button', { name: 'Non', exact: true }).click();
  await expect(page.getByText('Importer ces fichiers ?')).toBeHidden();
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);
});
