import { test, expect } from '@playwright/test';
import {
  expectNoAxeViolations,
  expectNoSidewaysScroll,
  ISLANDS_MODULE,
  login,
  pageModule,
  staffApi,
  unique,
  waitForHydration,
  watchErrors,
  watchWasm,
} from './helpers';

// Issue 25's contact flow: a visitor sends the contact form, an agent finds the message in
// the inbox, answers it by e-mail and closes it; the answer waits in the outbox. The terms of
// sale and privacy pages are scanned too.

const headers = { accept: 'application/json' };

/** The outbox messages to `to`, newest first, read as the admin through the API. */
async function outboxTo(baseURL: string, to: string) {
  const staff = await staffApi(baseURL, 'staff');
  const listed = await staff.post('/api/outbox', { headers, form: { page: '1', to } });
  expect(listed.ok(), await listed.text()).toBe(true);
  const { messages } = (await listed.json()) as { messages: { subject: string; body_text: string }[] };
  await staff.dispose();
  return messages;
}

test('a visitor sends the contact form and staff answer it by e-mail', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const id = unique();
  const email = `visiteur${id}@test.example.org`;
  const subject = `Facture introuvable ${id}`;

  // The visitor: a mistake first (nothing typed is lost), then the message.
  await page.goto('/contact');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Nous contacter' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);
  await page.getByLabel('Votre nom').fill('Jeanne Visiteuse');
  await page.getByLabel('Votre adresse e-mail (pour la réponse)').fill(email);
  await page.getByLabel('Sujet de votre demande').selectOption({ label: 'Facture ou paiement' });
  await page.getByLabel('Objet').fill(subject);
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(page.locator('#message-error')).toHaveText('Ce champ est obligatoire.');
  await expect(page.getByLabel('Objet')).toHaveValue(subject);
  await expectNoAxeViolations(page, testInfo);
  await page.getByLabel('Votre message').fill('Bonjour,\nnous ne retrouvons pas la facture de notre commande.');
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(page.getByTestId('contact-sent')).toContainText('votre message est bien arrivé');
  await expectNoAxeViolations(page, testInfo);
  const acknowledged = await outboxTo(baseURL ?? '', email);
  expect(acknowledged).toHaveLength(1);
  expect(acknowledged[0].subject).toContain('Nous avons bien reçu votre message');

  // Staff: the inbox, the conversation, the answer, the close.
  await page.context().clearCookies();
  await login(page, 'agent');
  // The inbox is a GET form and its list, served as islands: the storefront's module only.
  const modules = watchWasm(page);
  await page.goto(`/admin/contact?q=${encodeURIComponent(id)}`);
  await waitForHydration(page);
  expect(modules).toEqual([expect.stringMatching(ISLANDS_MODULE)]);
  await expect(page.getByRole('searchbox', { name: 'Rechercher' })).toHaveValue(id);
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);
  // One conversation is one island, in the `conversation` module.
  modules.length = 0;
  await page.locator('.inbox-list').getByRole('link', { name: subject }).click();
  await expect(page).toHaveURL(/\/admin\/contact\/[0-9a-f-]+$/);
  await waitForHydration(page);
  expect(modules).toEqual([expect.stringMatching(pageModule('conversation'))]);
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(page.locator('.messages')).toContainText('nous ne retrouvons pas la facture');
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);
  await page.getByLabel('Votre réponse').fill(`La facture est dans « Mes demandes ». Réf. ${id}`);
  await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await expect(page.getByText(`Réponse envoyée à ${email}.`)).toBeVisible();
  await expect(page.locator('.messages > li')).toHaveCount(2);
  await expect(page.getByTestId('conversation-assignee')).toHaveText('Pieter Janssens');
  await page.getByRole('button', { name: 'Clore la conversation' }).click();
  await page.getByRole('button', { name: 'Oui, clore' }).click();
  await expect(page.getByTestId('conversation-status')).toHaveText('Close');
  await expect(page.getByRole('button', { name: 'Rouvrir la conversation' })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // The answer is in the outbox, to the visitor.
  const mail = await outboxTo(baseURL ?? '', email);
  expect(mail).toHaveLength(2);
  expect(mail[0].subject).toContain(`Re : ${subject}`);
  expect(mail[0].body_text).toContain(`La facture est dans « Mes demandes ». Réf. ${id}`);
  expect(errors).toEqual([]);
});

test('the terms of sale and the privacy notice are reached from the footer', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await waitForHydration(page);
  await page.locator('footer').getByRole('link', { name: 'Conditions générales de vente' }).click();
  await expect(page).toHaveURL(/\/terms$/);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Conditions générales de vente' })).toBeVisible();
  await expect(page.locator('.legal-text')).toContainText('Windows Get Genuine');
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);
  await page.locator('footer').getByRole('link', { name: 'Protection de la vie privée' }).click();
  await expect(page).toHaveURL(/\/privacy$/);
  await waitForHydration(page);
  await expect(page.locator('.legal-text')).toContainText('2 ans après leur clôture');
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);
  await page.locator('.legal-text').getByRole('link', { name: 'formulaire de contact' }).first().click();
  await expect(page).toHaveURL(/\/contact$/);
  expect(errors).toEqual([]);
});

test('admins reach the legal texts editor', async ({ page }, testInfo) => {
  await login(page, 'staff');
  await page.goto('/admin/legal');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Textes légaux' })).toBeVisible();
  await expect(page.locator('form.legal-edit')).toHaveCount(6);
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);
});
