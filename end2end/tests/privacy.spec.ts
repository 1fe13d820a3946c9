import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import {
  expectNoAxeViolations,
  expectNoSidewaysScroll,
  freshOrganisation,
  login,
  waitForHydration,
  watchErrors,
} from './helpers';

/** The entries of a downloaded zip, read with Python's zipfile: text files as text, others by size and first bytes. */
function zipEntries(path: string): Record<string, string> {
  const script = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    out = {}
    for name in z.namelist():
        data = z.read(name)
        if name.endswith(('.json', '.txt', '.xml')):
            out[name] = data.decode('utf-8')
        else:
            out[name] = '%d bytes, starts %s' % (len(data), data[:4].hex())
    print(json.dumps(out))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, path]).toString());
}

test('a holder downloads the organisation data and their own, and the test reads both zips', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const org = await freshOrganisation(baseURL ?? '', ['google']);
  await login(page, org.holderEmail, org.password);
  await page.getByRole('link', { name: 'Mes données', exact: true }).click();
  await expect(page).toHaveURL(/\/account\/privacy$/);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Mes données', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Supprimer mon compte' })).toBeVisible();
  // The holder is told to hand the organisation over before deleting the account.
  await expect(page.getByText(/Vous êtes titulaire du compte de votre organisation/)).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await expectNoSidewaysScroll(page);

  const [organisationZip] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: "Télécharger les données de l'organisation (zip)" }).click(),
  ]);
  const entries = zipEntries(await organisationZip.path());
  expect(Object.keys(entries)).toEqual(expect.arrayContaining(['README.txt', 'organisation.json']));
  const file = JSON.parse(entries['organisation.json']);
  expect(file.organisation.legal_name).toBe(org.legalName);
  expect(file.organisation.contact_email).toBe(org.contactEmail);
  expect(file.members.map((m: { email: string }) => m.email)).toEqual([org.holderEmail]);
  expect(file.qualifications.map((q: { partner_id: string }) => q.partner_id)).toEqual(['google']);
  expect(entries['organisation.json']).not.toContain('argon2');

  const [personalZip] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Télécharger mes données (zip)' }).click(),
  ]);
  const mine = JSON.parse(zipEntries(await personalZip.path())['my-data.json']);
  expect(mine.profile.email).toBe(org.holderEmail);
  expect(mine.memberships[0].legal_name).toBe(org.legalName);
  expect(mine.sessions.length).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});

test('an admin finds a person to erase; a holder cannot be erased before a hand-over', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(60_000);
  const errors = watchErrors(page);
  const org = await freshOrganisation(baseURL ?? '', []);
  await login(page, 'staff');
  await page.goto(`/admin/privacy?q=${encodeURIComponent(org.holderEmail)}`);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Effacer une personne', level: 1 })).toBeVisible();
  const person = page.locator('ul.people li').filter({ hasText: org.holderEmail });
  await expect(person).toHaveCount(1);
  await expect(person.getByText('Titulaire du compte : désignez d\'abord un autre titulaire.')).toBeVisible();
  await expect(person.getByRole('button', { name: 'Effacer cette personne' })).toHaveCount(0);
  await expectNoAxeViolations(page, testInfo);
  await expectNoSidewaysScroll(page);

  await page.getByRole('searchbox', { name: 'E-mail, identifiant ou nom' }).fill('personne-de-ce-nom@nulle-part.example');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.getByText('Personne ne correspond à cette recherche.')).toBeVisible();
  expect(errors).toEqual([]);
});
