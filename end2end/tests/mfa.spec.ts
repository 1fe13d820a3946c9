import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, expectNoSidewaysScroll, staffApi, totp, unique, waitForHydration, watchErrors } from './helpers';

const headers = { accept: 'application/json' };
const PASSWORD = 'une phrase de passe du personnel';

/** The step after the one whose code was last typed: a code is accepted once. */
const nextStep = () => Math.floor(Date.now() / 30_000) + 1;

test('a new staff member enrols TOTP at the first login, then signs in with a code and with a recovery code', async ({
  page,
  baseURL,
}, testInfo) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  // An admin invites a staff member of this run; the invitation's link sets the password.
  const email = `mfa-${unique()}-${testInfo.project.name}@dons.example.org`;
  const admin = await staffApi(baseURL, 'staff');
  const invited = await admin.post('/api/invite_staff', { headers, form: { full_name: 'Rita Mfa', email, role: 'agent' } });
  expect(invited.status(), await invited.text()).toBe(200);
  const listed = await admin.post('/api/outbox', { headers, form: { page: '1', to: email } });
  const { messages } = (await listed.json()) as { messages: { body_text: string }[] };
  const link = messages[0]?.body_text.match(/https?:\/\/\S+\/reset-password\?token=\S+/)?.[0];
  expect(link).toBeTruthy();
  await admin.dispose();
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await waitForHydration(page);
  await page.getByLabel('Nouveau mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(page.getByText('Votre mot de passe a été changé.')).toBeVisible();

  // The password alone leads to enrolment: a QR code and the key as text.
  const signIn = async () => {
    await page.goto('/login');
    await waitForHydration(page);
    await page.getByLabel("Nom d'utilisateur ou adresse e-mail").fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page).toHaveURL(/\/login\/mfa$/);
    await waitForHydration(page);
  };
  await signIn();
  await expect(page.getByRole('heading', { name: 'Activer la validation en deux étapes' })).toBeVisible();
  await expect(page.getByRole('img', { name: /Code QR/ })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await expectNoSidewaysScroll(page);
  const secret = (await page.locator('#mfa-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  // A wrong code is refused in French, then the right one enrols and shows ten recovery codes.
  const wrong = totp(secret) === '000000' ? '111111' : '000000';
  await page.getByLabel('Code', { exact: true }).fill(wrong);
  await page.getByRole('button', { name: 'Activer', exact: true }).click();
  await expect(page.getByText("Ce code n'est pas valable ou a déjà servi.")).toBeVisible();
  await page.getByLabel('Code', { exact: true }).fill(totp(secret));
  await page.getByRole('button', { name: 'Activer', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Vos codes de secours' })).toBeVisible();
  const codes = (await page.locator('#recovery-codes li').allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await expectNoAxeViolations(page, testInfo);
  await expectNoSidewaysScroll(page);
  await page.getByRole('link', { name: "J'ai noté mes codes, continuer" }).click();
  await expect(page).toHaveURL(/\/admin$/);

  // The next login asks for the code: the one the app shows a step later.
  await page.context().clearCookies();
  await signIn();
  await expect(page.getByLabel('Code', { exact: true })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await expectNoSidewaysScroll(page);
  await page.getByLabel('Code', { exact: true }).fill(totp(secret, nextStep()));
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page).toHaveURL(/\/admin$/);

  // Their page says it is on and required.
  await page.goto('/account/mfa');
  await waitForHydration(page);
  await expect(page.getByText('La validation en deux étapes est activée.')).toBeVisible();
  await expect(page.getByText('Codes de secours encore utilisables : 10')).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // Without the phone: a recovery code, once.
  await page.context().clearCookies();
  await signIn();
  await page.getByLabel('Code', { exact: true }).fill(codes[0]);
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.context().clearCookies();
  await signIn();
  await page.getByLabel('Code', { exact: true }).fill(codes[0]);
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByText("Ce code n'est pas valable ou a déjà servi.")).toBeVisible();
  expect(errors).toEqual([]);
});
