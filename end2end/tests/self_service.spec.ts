import { expect, test, type Page } from '@playwright/test';
import {
  expectNoAxeViolations,
  expectNoSidewaysScroll,
  freshOrganisation,
  login,
  staffApi,
  unique,
  waitForHydration,
  watchErrors,
  watchWasm,
  pageModule,
} from './helpers';

const headers = { accept: 'application/json' };

/** The path (with its token) of the newest link to `path` mailed to `to`, read from the outbox as staff. */
async function mailedLink(baseURL: string, to: string, path: string): Promise<string> {
  const staff = await staffApi(baseURL, 'staff');
  const listed = await staff.post('/api/outbox', { headers, form: { page: '1', to } });
  expect(listed.ok(), await listed.text()).toBe(true);
  const { messages } = (await listed.json()) as { messages: { body_text: string }[] };
  await staff.dispose();
  const pattern = new RegExp(`https?://\\S+${path.replace(/[/]/g, '\\/')}\\?token=\\S+`);
  for (const message of messages) {
    const link = message.body_text.match(pattern)?.[0];
    if (link) return new URL(link).pathname + new URL(link).search;
  }
  throw new Error(`no ${path} link mailed to ${to}`);
}

/** The card of the settings page whose heading is `title`. */
const card = (page: Page, title: string) =>
  page.locator('section.card').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

test('a holder changes the login e-mail through the link and logs in with it', async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const org = await freshOrganisation(baseURL!, ['microsoft']);
  await org.holder.dispose();
  const newEmail = `nouvelle${unique()}@test.example.org`;
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  await login(page, org.holderEmail, org.password);

  await page.goto('/account/settings');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Paramètres du compte', level: 1 })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await expectNoSidewaysScroll(page);

  const emailCard = card(page, "Changer l'adresse e-mail de connexion");
  // A wrong current password is refused in words, and nothing is sent.
  await emailCard.getByLabel('Nouvelle adresse e-mail').fill(newEmail);
  await emailCard.getByLabel('Mot de passe actuel').fill('pas le bon mot de passe');
  await emailCard.getByRole('button', { name: 'Envoyer le lien de confirmation' }).click();
  await expect(emailCard.getByText("Le mot de passe actuel n'est pas correct.")).toBeVisible();
  await emailCard.getByLabel('Mot de passe actuel').fill(org.password);
  await emailCard.getByRole('button', { name: 'Envoyer le lien de confirmation' }).click();
  await expect(emailCard.getByText('un lien de confirmation vient d\'y être envoyé')).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // Nothing changes until the link is used: the page says which address waits.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByText(newEmail)).toBeVisible();

  // The link, opened in another browser where nobody is logged in.
  const path = await mailedLink(baseURL!, newEmail, '/account/email/confirm');
  const elsewhere = await (await browser.newContext()).newPage();
  await elsewhere.goto(path);
  await waitForHydration(elsewhere);
  await expectNoAxeViolations(elsewhere, testInfo);
  await expectNoSidewaysScroll(elsewhere);
  await elsewhere.getByRole('button', { name: "Confirmer l'adresse" }).click();
  await expect(elsewhere.getByText('Votre adresse e-mail de connexion a été changée.')).toBeVisible();

  // The new address logs in.
  await login(elsewhere, newEmail, org.password);
  await expect(elsewhere).toHaveURL(/\/account$/);
  // The link worked once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(path);
  await waitForHydration(again);
  await again.getByRole('button', { name: "Confirmer l'adresse" }).click();
  await expect(again.getByText("Ce lien n'est plus valable")).toBeVisible();
  expect(errors).toEqual([]);
});

test('a join request is approved by the holder and the requester joins', async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const org = await freshOrganisation(baseURL!, ['microsoft']);
  const file = await (await org.holder.post('/api/my_organisation', { headers })).json();
  await org.holder.dispose();
  const requesterEmail = `rejoindre${unique()}@test.example.org`;

  // A visitor asks to join.
  const visitor = await (await browser.newContext()).newPage();
  const errors = watchErrors(visitor);
  await visitor.goto('/join');
  await waitForHydration(visitor);
  await expect(visitor.getByRole('heading', { name: 'Rejoindre mon organisation', level: 1 })).toBeVisible();
  await expectNoAxeViolations(visitor, testInfo);
  await expectNoSidewaysScroll(visitor);
  await visitor.getByLabel('Votre nom complet').fill('Nadia Rejoint');
  await visitor.getByLabel('Votre adresse e-mail').fill(requesterEmail);
  await visitor.getByLabel("Numéro d'entreprise").fill(file.enterprise_number);
  await visitor.getByLabel(/Message au titulaire du compte/).fill('Je coordonne les bénévoles.');
  await visitor.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(visitor.getByText(/Merci\. Si ce numéro d'entreprise/)).toBeVisible();
  await expectNoAxeViolations(visitor, testInfo);

  // The holder sees it beside the members and approves.
  const holder = await (await browser.newContext()).newPage();
  await login(holder, org.holderEmail, org.password);
  await holder.goto('/account');
  await waitForHydration(holder);
  const requests = holder.locator('section.card').filter({
    has: holder.getByRole('heading', { name: "Demandes pour rejoindre l'organisation" }),
  });
  await expect(requests.locator('strong', { hasText: 'Nadia Rejoint' })).toBeVisible();
  await expectNoAxeViolations(holder, testInfo);
  await expectNoSidewaysScroll(holder);
  await requests.getByRole('button', { name: /Accepter/ }).click();
  await expect(requests.getByText('Demande acceptée : une invitation a été envoyée.')).toBeVisible();
  await expect(requests.getByText('Aucune demande en attente.')).toBeVisible();

  // The invitation goes through the usual flow: choose a password, then log in as a member.
  const path = await mailedLink(baseURL!, requesterEmail, '/reset-password');
  await visitor.goto(path);
  await waitForHydration(visitor);
  await visitor.getByLabel('Nouveau mot de passe').fill('la phrase de Nadia');
  await visitor.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(visitor.getByText('Votre mot de passe a été changé.')).toBeVisible();
  await login(visitor, requesterEmail, 'la phrase de Nadia');
  await expect(visitor.getByRole('heading', { name: file.legal_name })).toBeVisible();
  expect(errors).toEqual([]);
});

test("staff's list of join requests is accessible", async ({ page }, testInfo) => {
  await login(page, 'staff');
  const modules = watchWasm(page);
  await page.goto('/admin/join-requests');
  await waitForHydration(page);
  expect(modules).toEqual([expect.stringMatching(pageModule('joins'))]);
  await expect(page.getByRole('heading', { name: 'Demandes pour rejoindre une organisation', level: 1 })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await expectNoSidewaysScroll(page);
});
