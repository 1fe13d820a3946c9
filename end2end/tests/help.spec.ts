import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, expectNoSidewaysScroll, isPhone, login, unique, waitForHydration, watchErrors } from './helpers';

test('help search finds an answer from a query without accents', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await waitForHydration(page);
  if (isPhone(testInfo)) await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Aide' }).click();
  await expect(page).toHaveURL(/\/help$/);
  await expect(page.getByRole('heading', { level: 1, name: 'En quoi pouvons-nous vous aider ?' })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  await page.getByLabel("Rechercher dans l'aide").fill('eligibilite');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/\/help\?q=eligibilite$/);
  const hits = page.getByRole('region', { name: /Résultats pour « eligibilite »/ });
  await expect(hits).toBeVisible();
  // The answers found say "éligibilité", with its accents.
  await expect(hits.locator('li.help-hit').first()).toContainText(/éligibilité/i);
  // An answer leads to the page where things are done.
  await expect(hits.locator('li.help-hit a[href^="/"]').first()).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // A section's question opens its answer.
  const question = page.locator('#section-tokens details.help-question').first();
  await question.locator('summary').click();
  await expect(question.locator('.answer')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a search for VLSC finds at least six answers about Microsoft\'s licence site', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await page.goto('/help?q=VLSC');
  await waitForHydration(page);
  const hits = page.getByRole('region', { name: /Résultats pour « VLSC »/ });
  await expect(hits).toBeVisible();
  const found = hits.locator('li.help-hit');
  await expect(found.first()).toContainText('VLSC');
  expect(await found.count()).toBeGreaterThanOrEqual(6);
  // An answer says which address to sign in with, and leads to the account settings.
  const signIn = found.filter({ hasText: 'Avec quelle adresse e-mail me connecter au VLSC' });
  await expect(signIn).toContainText('même adresse e-mail');
  await expect(signIn.locator('a[href="/account/settings"]')).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page, testInfo);
  expect(errors).toEqual([]);
});

test('staff edit an answer, organisations read the new one, the audit trail shows the edit', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await login(page, 'agent');
  await page.goto('/admin/help');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Aide : questions et réponses' })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // The two projects run at once: each edits its own question.
  const entry = page.locator('li.help-admin-entry').nth(isPhone(testInfo) ? 1 : 0);
  await entry.getByRole('button', { name: 'Modifier' }).click();
  const word = `zephyrin${unique().replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
  const answer = entry.getByLabel('Réponse (français)');
  await answer.fill('Sans lien [ailleurs](https://example.org).');
  await entry.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(entry.locator('#help-answer_fr-error')).toContainText('page du portail');
  await expect(answer).toHaveValue('Sans lien [ailleurs](https://example.org).');
  await expectNoAxeViolations(page, testInfo);

  await answer.fill(`Réponse révisée (${word}). Voir [le catalogue](/catalogue).`);
  await entry.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status')).toContainText('La réponse a été enregistrée.');

  await page.goto(`/help?q=${word.toUpperCase()}`);
  await waitForHydration(page);
  const hits = page.locator('li.help-hit');
  await expect(hits).toHaveCount(1);
  await expect(hits.first()).toContainText(`Réponse révisée (${word})`);
  await expect(hits.first().getByRole('link', { name: 'le catalogue' })).toHaveAttribute('href', '/catalogue');

  // The edit is in the audit trail, found by a word of its new text.
  await page.goto('/admin/audit');
  await waitForHydration(page);
  await page.getByLabel('Rechercher (identifiant, données)').fill(word);
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/audit\\?.*q=${word}`));
  const rows = page.locator('table.audit-table tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-action', 'help.question_edited');
  await expect(rows.first()).toContainText('Pieter Janssens');
  await expect(page.getByRole('link', { name: 'Exporter en CSV' })).toHaveAttribute('href', `/admin/audit/export?q=${word}`);
  await expectNoAxeViolations(page, testInfo);
  expect(errors).toEqual([]);
});
