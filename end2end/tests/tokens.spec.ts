import { test, expect, request as playwrightRequest, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { DEMO_PASSWORD, expectNoAxeViolations, freshOrganisation, login, unique, waitForHydration, watchErrors } from './helpers';

const headers = { accept: 'application/json' };

/**
 * Sixty days pass for one token: its expiry moves to yesterday in the server's SQLite file
 * (`E2E_DATABASE`, set by scripts/test.sh), as the Rust tests do on their own databases.
 */
function expireToken(code: string) {
  const database = process.env.E2E_DATABASE;
  if (!database) throw new Error('E2E_DATABASE must name the e2e server\'s SQLite file');
  const script = `
import sqlite3, sys
from datetime import datetime, timedelta, timezone
db = sqlite3.connect(sys.argv[1], timeout=30)
yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()
changed = db.execute("update validation_token set expires_at = ? where code = ?", (yesterday, sys.argv[2])).rowcount
db.commit()
sys.exit(0 if changed == 1 else 1)
`;
  execFileSync('python3', ['-c', script, database, code]);
}

/** The code shown on the token card titled `title`. */
async function codeOf(page: Page, title: string) {
  const card = page.locator('li.token-card').filter({ has: page.getByRole('heading', { name: title }) });
  return (await card.locator('code.code').textContent())?.trim() ?? '';
}

test('the holder creates, copies, refreshes and revokes a token', async ({ page, context, baseURL }, testInfo) => {
  // Seven axe scans and two reloads: about 25 s alone, more when the two projects share the CPUs.
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const org = await freshOrganisation(baseURL ?? '', ['google']);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await login(page, org.holderEmail, org.password);
  await page.getByRole('link', { name: 'Jeton de validation', exact: true }).click();
  await expect(page).toHaveURL(/\/account\/tokens$/);
  await waitForHydration(page);
  await expect(page.getByText(/Aucun jeton pour l'instant/)).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // For another person: without a name or a valid address the form says what is missing
  // and keeps what was typed.
  const purpose = `Google Ad Grants ${unique()}`;
  await page.getByLabel('Pour une autre personne autorisée').check();
  await page.getByLabel('Objet (facultatif)').fill(purpose);
  await page.getByLabel("Adresse e-mail de la personne").fill('pas-une-adresse');
  await page.getByRole('button', { name: 'Créer le jeton' }).click();
  await expect(page.locator('#recipient_name-error')).toHaveText('Ce champ est obligatoire.');
  await expect(page.locator('#recipient_email-error')).toContainText("n'est pas valide");
  await expect(page.getByLabel('Objet (facultatif)')).toHaveValue(purpose);
  await expectNoAxeViolations(page, testInfo);

  await page.getByLabel('Nom de la personne').fill('Paul Délégué');
  await page.getByLabel("Adresse e-mail de la personne").fill('paul@test.example.org');
  await page.getByLabel('Partenaire', { exact: true }).selectOption({ label: 'Google' });
  await page.getByRole('button', { name: 'Créer le jeton' }).click();
  await expect(page.getByText('Jeton créé : il figure en tête de la liste.')).toBeVisible();
  const card = page.locator('li.token-card').filter({ has: page.getByRole('heading', { name: purpose }) });
  await expect(card.locator('.badge')).toHaveText('Actif');
  await expect(card.getByText(/Expire dans 60 jour\(s\)/)).toBeVisible();
  await expect(card.getByText('Paul Délégué · paul@test.example.org')).toBeVisible();
  const code = await codeOf(page, purpose);
  expect(code).toMatch(/^[a-z0-9]{8}@[a-z0-9]{16}$/);
  await expectNoAxeViolations(page, testInfo);

  // "Copier" puts exactly the code on the clipboard.
  await card.getByRole('button', { name: 'Copier' }).click();
  await expect(card.getByText('Code copié.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);

  // Sixty days later the token has expired: "Mettre à jour le jeton" gives a new code for
  // 60 more days.
  expireToken(code);
  await page.reload();
  await waitForHydration(page);
  await expect(card.locator('.badge')).toHaveText('Expiré');
  await expectNoAxeViolations(page, testInfo);
  await card.getByRole('button', { name: 'Mettre à jour le jeton' }).click();
  await expect(card.locator('.badge')).toHaveText('Actif');
  await expect(card.getByText(/Expire dans 60 jour\(s\)/)).toBeVisible();
  const renewed = await codeOf(page, purpose);
  expect(renewed).toMatch(/^[a-z0-9]{8}@[a-z0-9]{16}$/);
  expect(renewed).not.toBe(code);

  // Revoking asks first; "Non, garder" keeps it.
  await card.getByRole('button', { name: 'Révoquer' }).click();
  await expect(card.getByText(/Révoquer ce jeton \?/)).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await card.getByRole('button', { name: 'Non, garder' }).click();
  await expect(card.locator('.badge')).toHaveText('Actif');
  await card.getByRole('button', { name: 'Révoquer' }).click();
  await card.getByRole('button', { name: 'Oui, révoquer' }).click();
  await expect(card.locator('.badge')).toHaveText('Révoqué');
  await expect(card.getByRole('button', { name: 'Révoquer' })).toHaveCount(0);
  await expect(card.getByRole('button', { name: 'Mettre à jour le jeton' })).toHaveCount(0);
  await expectNoAxeViolations(page, testInfo);
  expect(errors).toEqual([]);
});

test('a member sees the tokens made for them and cannot create one', async ({ page, baseURL }, testInfo) => {
  const errors = watchErrors(page);
  await login(page, 'amis-membre');
  await page.goto('/account/tokens');
  await waitForHydration(page);
  await expect(page.getByText(/Seul le titulaire du compte crée/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Créer le jeton' })).toHaveCount(0);
  await expectNoAxeViolations(page, testInfo);
  // The server refuses too, whatever the page shows.
  const member = await playwrightRequest.newContext({ baseURL });
  expect((await member.post('/api/login', { headers, form: { identifier: 'amis-membre', password: DEMO_PASSWORD } })).ok()).toBe(true);
  const refused = await member.post('/api/create_token', {
    headers,
    form: { 'form[for_whom]': 'self', 'form[recipient_name]': '', 'form[recipient_email]': '', 'form[purpose]': 'x', 'form[partner_id]': '' },
  });
  expect(refused.status()).toBe(403);
  await member.dispose();
  expect(errors).toEqual([]);
});

test('staff give a partner a key and the partner checks a token by hand', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const org = await freshOrganisation(baseURL ?? '', ['google', 'microsoft']);
  const purpose = `Vérification ${unique()}`;
  const made = await org.holder.post('/api/create_token', {
    headers,
    form: { 'form[for_whom]': 'self', 'form[recipient_name]': '', 'form[recipient_email]': '', 'form[purpose]': purpose, 'form[partner_id]': '' },
  });
  expect(made.ok(), await made.text()).toBe(true);
  const list = await (await org.holder.post('/api/my_tokens', { headers, form: { page: '0' } })).json();
  const code: string = list.tokens[0].code;

  await login(page, 'staff');
  await page.goto('/admin/partner-clients');
  await waitForHydration(page);
  await expectNoAxeViolations(page, testInfo);
  const clientName = `Google guichet ${unique()}`;
  await page.getByLabel('Nom', { exact: true }).fill(clientName);
  await page.getByLabel('Partenaire', { exact: true }).selectOption({ label: 'Google' });
  await page.getByRole('button', { name: "Créer l'accès et sa clé" }).click();
  const key = (await page.getByTestId('new-key').textContent())?.trim() ?? '';
  expect(key).toMatch(/^vk_[a-z0-9]{40}$/);
  await expect(page.locator('li.client-card').filter({ hasText: clientName })).toContainText(key.slice(0, 7));
  await expectNoAxeViolations(page, testInfo);

  // The partner's desk: no account, only the key. A pasted code with capitals and blanks.
  await page.context().clearCookies();
  const partner = page;
  await partner.goto('/partners/verify');
  await waitForHydration(partner);
  await expectNoAxeViolations(partner, testInfo);
  await partner.getByLabel('Clé API du partenaire').fill('vk_not-a-key');
  await partner.getByLabel('Jeton', { exact: true }).fill(code);
  await partner.getByRole('button', { name: 'Vérifier' }).click();
  await expect(partner.locator('#key-error')).toHaveText('Clé API inconnue ou révoquée.');
  await partner.getByLabel('Clé API du partenaire').fill(key);
  await partner.getByLabel('Jeton', { exact: true }).fill(`  ${code.toUpperCase()} `);
  await partner.getByRole('button', { name: 'Vérifier' }).click();
  const verdict = partner.locator('section.verdict');
  await expect(verdict.getByRole('heading', { name: 'Jeton valide' })).toBeVisible();
  await expect(verdict).toContainText(org.legalName);
  await expect(verdict).toContainText('google');
  await expectNoAxeViolations(partner, testInfo);

  // The holder sees the check in the token's usage log.
  const after = await (await org.holder.post('/api/my_tokens', { headers, form: { page: '0' } })).json();
  expect(after.tokens[0].checks).toBe(1);
  expect(after.tokens[0].log[0].client_name).toBe(clientName);
  expect(after.tokens[0].log[0].outcome).toBe('valid');
  await org.holder.dispose();
  expect(errors).toEqual([]);
});

test('a validation-only offer leads to the validation tokens', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await login(page, 'amis');
  for (const slug of ['google-for-nonprofits', 'power-bi-pro-nonprofit', 'dynamics-365-nonprofit']) {
    await page.goto(`/catalogue/${slug}`);
    await waitForHydration(page);
    await expect(page.getByRole('button', { name: 'Ajouter au panier' })).toHaveCount(0);
    await expect(page.getByTestId('to-tokens')).toHaveText('Obtenir un jeton de validation');
  }
  await expectNoAxeViolations(page, testInfo);
  await page.getByTestId('to-tokens').click();
  await expect(page).toHaveURL(/\/account\/tokens$/);
  expect(errors).toEqual([]);
});
