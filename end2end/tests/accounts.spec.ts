import { test, expect, type Page } from '@playwright/test';
import {
  confirmRegistration,
  expectNoAxeViolations,
  freshEnterpriseNumber,
  expectNoSidewaysScroll,
  freshOrganisation,
  isPhone,
  ISLANDS_MODULE,
  login,
  registrationLinkPath,
  pageModule,
  waitForHydration,
  watchErrors,
  watchWasm,
  withWrongCheckDigit,
} from './helpers';

const unique = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`;

/** Fills the registration form; returns the values typed. */
async function fillRegistration(page: Page, number: string, holderEmail: string, name: string) {
  await page.getByLabel("Nom légal de l'organisation").fill(name);
  await page.getByLabel('Forme juridique').selectOption('asbl');
  await page.getByLabel('Pays').selectOption('BE');
  await page.getByLabel("Numéro d'entreprise (BCE) ou RCS").fill(number);
  await page.getByLabel('Mission principale').selectOption('youth');
  await page.getByLabel('Rue et numéro').fill('Rue du Test 1');
  await page.getByLabel('Code postal').fill('1000');
  await page.getByLabel('Localité').fill('Bruxelles');
  await page.getByLabel('Adresse e-mail de contact').fill(`contact-${holderEmail}`);
  await page.getByLabel('Nom et prénom').fill('Anne Peeters');
  await page.getByLabel(/Adresse e-mail du titulaire/).fill(holderEmail);
  await page.getByLabel('Mot de passe', { exact: true }).fill('une phrase assez longue');
}

test('a wrong check digit is refused in French, Dutch and English', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await page.goto('/register');
  await waitForHydration(page);
  await expectNoAxeViolations(page, testInfo);
  await fillRegistration(page, withWrongCheckDigit(freshEnterpriseNumber()), `x${unique()}@test.example.org`, 'ASBL Erreur');
  await page.getByRole('button', { name: "Inscrire l'organisation" }).click();
  const numberError = page.locator('#enterprise_number-error');
  await expect(numberError).toContainText('les deux derniers chiffres (chiffres de contrôle) ne correspondent pas');
  await expect(page.getByLabel("Numéro d'entreprise (BCE) ou RCS")).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page, testInfo);

  if (isPhone(testInfo)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await page.getByRole('button', { name: 'Nederlands' }).click();
  await expect(numberError).toContainText('de laatste twee cijfers (controlecijfers) kloppen niet');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(numberError).toContainText('the last two digits (check digits) do not match');
  // Nothing typed was lost.
  await expect(page.locator('#field-legal_name')).toHaveValue('ASBL Erreur');
  expect(errors).toEqual([]);
});

test('a Belgian ASBL registers, staff qualify it for Microsoft only, and it sees why Cisco is refused', async ({
  browser,
  baseURL,
}, testInfo) => {
  // Two browsers, six pages and five axe scans: more than the default 30 s on 2 shared cores
  // (it ran in 25–29 s before and timed out once at 30 s).
  test.setTimeout(90_000);
  const orgPage = await (await browser.newContext()).newPage();
  const errors = watchErrors(orgPage);
  const name = `ASBL Essai ${unique()}`;
  const holderEmail = `anne${unique()}@test.example.org`;

  await orgPage.goto('/register');
  await waitForHydration(orgPage);
  await fillRegistration(orgPage, freshEnterpriseNumber(), holderEmail, name);
  await orgPage.getByRole('button', { name: "Inscrire l'organisation" }).click();
  // The form's answer is the same whatever the database holds: check the mailbox.
  await expect(orgPage.getByRole('heading', { name: 'Vérifiez votre boîte mail' })).toBeVisible();
  await expectNoAxeViolations(orgPage, testInfo);
  // The link mailed to the holder: one click creates the account and opens it.
  await orgPage.goto(await registrationLinkPath(baseURL!, holderEmail));
  await waitForHydration(orgPage);
  await expectNoAxeViolations(orgPage, testInfo);
  await orgPage.getByRole('button', { name: "Confirmer l'inscription" }).click();
  await expect(orgPage).toHaveURL(/\/account$/);
  await expect(orgPage.getByRole('heading', { level: 2, name })).toBeVisible();
  await expect(orgPage.getByText('En cours d\'examen')).toBeVisible();
  await expectNoAxeViolations(orgPage, testInfo);

  // Step 2: the statutes, as a plain multipart form.
  await orgPage.getByLabel('Fichier (PDF, PNG ou JPEG)').setInputFiles({
    name: 'statuts.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n% statuts de test\n%%EOF\n'),
  });
  await orgPage.getByRole('button', { name: 'Envoyer le document' }).click();
  await expect(orgPage.getByText('Document reçu, merci.')).toBeVisible();

  // Staff review it.
  const staffPage = await (await browser.newContext()).newPage();
  await login(staffPage, 'agent');
  // Staff land on the dashboard; its first queue leads to the files waiting for review.
  await staffPage.getByTestId('queue-reviews').click();
  await expect(staffPage).toHaveURL(/\/admin\/reviews$/);
  await expectNoAxeViolations(staffPage, testInfo);
  // The organisation's page: its review and qualifications are one island, in the `organisation` module.
  const staffModules = watchWasm(staffPage);
  await staffPage.getByRole('link', { name }).click();
  await waitForHydration(staffPage);
  expect(staffModules).toEqual([expect.stringMatching(pageModule('organisation'))]);
  await expect(staffPage.getByRole('link', { name: 'statuts.pdf' })).toBeVisible();
  await expectNoAxeViolations(staffPage, testInfo);
  await staffPage.getByLabel('Éligible', { exact: true }).check();
  await staffPage.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await expect(staffPage.locator('p.status-eligible')).toBeVisible();

  await staffPage.getByLabel('Microsoft', { exact: true }).selectOption('qualified');
  await staffPage.getByLabel('Cisco', { exact: true }).selectOption('not_qualified');
  await staffPage.getByRole('button', { name: 'Enregistrer les qualifications' }).click();
  // A refusal without a reason is refused, on its field.
  await expect(staffPage.locator('#reason_cisco-error')).toContainText('Ce champ est obligatoire.');
  const reason = "Cisco ne soutient que les organisations actives dans l'inclusion numérique.";
  await staffPage.getByLabel(/— Cisco$/).fill(reason);
  await staffPage.getByRole('button', { name: 'Enregistrer les qualifications' }).click();
  await expect(staffPage.getByText('Qualifications enregistrées')).toBeVisible();

  // The organisation sees the outcome, partner by partner.
  await orgPage.goto('/account');
  await expect(orgPage.getByText('Votre organisation est éligible au programme.')).toBeVisible();
  await expect(orgPage.locator('li[data-partner="microsoft"] .verdict')).toHaveText('Qualifiée');
  await expect(orgPage.locator('li[data-partner="cisco"] .verdict')).toHaveText('Non qualifiée');
  await expect(orgPage.locator('li[data-partner="cisco"] .reason')).toHaveText(reason);
  await expect(orgPage.locator('li[data-partner="adobe"] .verdict')).toHaveText('En attente de décision');
  await expectNoAxeViolations(orgPage, testInfo);

  // And was told by e-mail.
  await staffPage.goto(`/admin/outbox?to=${encodeURIComponent(`contact-${holderEmail}`)}`);
  await expect(staffPage.getByRole('heading', { name: /Qualification par partenaire mise à jour/ })).toBeVisible();
  await expect(staffPage.getByRole('heading', { name: /Votre organisation est éligible/ })).toBeVisible();
  await expectNoAxeViolations(staffPage, testInfo);
  expect(errors).toEqual([]);
});

test('password reset works end to end through the outbox', async ({ browser, request, baseURL }, testInfo) => {
  test.setTimeout(90_000);
  const holderEmail = `reset${unique()}@test.example.org`;
  const registered = await request.post('/api/register', {
    headers: { accept: 'application/json' },
    form: {
      'form[legal_name]': `ASBL Oubli ${unique()}`,
      'form[legal_form]': 'asbl',
      'form[country]': 'BE',
      'form[enterprise_number]': freshEnterpriseNumber(),
      'form[street]': 'Rue du Test 2',
      'form[postal_code]': '5000',
      'form[city]': 'Namur',
      'form[contact_email]': `contact-${holderEmail}`,
      'form[mission_category]': 'health',
      'form[holder_name]': 'Marc Oubli',
      'form[holder_email]': holderEmail,
      'form[password]': 'le premier mot de passe',
    },
  });
  expect(registered.status()).toBe(200);
  await confirmRegistration(request, baseURL!, holderEmail);

  const page = await (await browser.newContext()).newPage();
  await page.goto('/forgot-password');
  await waitForHydration(page);
  await expectNoAxeViolations(page, testInfo);
  await page.getByLabel("Nom d'utilisateur ou adresse e-mail").fill(holderEmail);
  await page.getByRole('button', { name: 'Envoyer le lien' }).click();
  await expect(page.getByText('Si un compte correspond')).toBeVisible();

  // Staff read the outbox (the dev viewer) to find the link.
  const staffPage = await (await browser.newContext()).newPage();
  await login(staffPage, 'staff');
  await staffPage.goto(`/admin/outbox?to=${encodeURIComponent(holderEmail)}`);
  const body = await staffPage.locator('pre.mail-body').first().textContent();
  const link = body?.match(/https?:\/\/\S+\/reset-password\?token=\S+/)?.[0];
  expect(link, body ?? '').toBeTruthy();
  const path = new URL(link!).pathname + new URL(link!).search;

  await page.goto(path);
  await waitForHydration(page);
  await expectNoAxeViolations(page, testInfo);
  await page.getByLabel('Nouveau mot de passe').fill('le second mot de passe');
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(page.getByText('Votre mot de passe a été changé.')).toBeVisible();

  await login(page, holderEmail, 'le second mot de passe');
  await expect(page).toHaveURL(/\/account$/);

  // The link was for one use only.
  const again = await (await browser.newContext()).newPage();
  await again.goto(path);
  await waitForHydration(again);
  await again.getByLabel('Nouveau mot de passe').fill('un troisième mot de passe');
  await again.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(again.getByText('Ce lien n\'est plus valable')).toBeVisible();
});

// "Se connecter" is served as islands: its form is the server's, answered with a redirect.
test('the login page loads only the islands module, and a wrong password keeps what was typed', async ({ page, baseURL }, testInfo) => {
  const errors = watchErrors(page);
  // An account of its own: the wrong passwords of this file count against one account.
  const { holder, holderEmail, password: rightPassword } = await freshOrganisation(baseURL ?? '', []);
  await holder.dispose();
  const modules = watchWasm(page);
  await page.goto('/login');
  await waitForHydration(page);
  expect(modules).toEqual([expect.stringMatching(ISLANDS_MODULE)]);
  const identifier = page.getByLabel("Nom d'utilisateur ou adresse e-mail");
  const password = page.getByLabel('Mot de passe', { exact: true });
  await identifier.fill(holderEmail);
  await password.fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('Identifiant ou mot de passe incorrect.');
  await expect(identifier).toHaveValue(holderEmail);
  await expect(password).toHaveValue('');
  await expect(password).toBeFocused();
  await expectNoAxeViolations(page, testInfo);
  // The identifier is not in the address.
  expect(page.url()).not.toContain(holderEmail.split('@')[0]);

  await password.fill(rightPassword);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await waitForHydration(page);
  // Logged in (the header offers to log out; on a phone, behind the menu).
  await expect(page.getByRole('button', { name: 'Se déconnecter', includeHidden: true })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a member logs in through the form', async ({ page, baseURL }) => {
    const { holder, holderEmail, password } = await freshOrganisation(baseURL ?? '', []);
    await holder.dispose();
    await page.goto('/login');
    await page.getByLabel("Nom d'utilisateur ou adresse e-mail").fill(holderEmail);
    await page.getByLabel('Mot de passe', { exact: true }).fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('alert')).toHaveText('Identifiant ou mot de passe incorrect.');
    await expect(page.getByLabel("Nom d'utilisateur ou adresse e-mail")).toHaveValue(holderEmail);
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page).toHaveURL(/\/account$/);
    const cookies = await page.context().cookies();
    expect(cookies.some((cookie) => /portal_session$/.test(cookie.name) && cookie.value !== '')).toBe(true);
  });
});

test('pages that need an account say so', async ({ page }, testInfo) => {
  await page.goto('/login');
  await waitForHydration(page);
  await expectNoAxeViolations(page, testInfo);
  await page.getByLabel("Nom d'utilisateur ou adresse e-mail").fill('amis');
  await page.getByLabel('Mot de passe', { exact: true }).fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('Identifiant ou mot de passe incorrect.');
  await page.goto('/account');
  await expect(page.getByText('Connectez-vous pour voir cette page.')).toBeVisible();
  await page.goto('/admin/reviews');
  await expect(page.getByText('Connectez-vous pour voir cette page.')).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await login(page, 'amis');
  await page.goto('/admin/reviews');
  await expect(page.getByText("Votre compte ne permet pas d'accéder à cette page.")).toBeVisible();
});

test('a holder invites a member, sees the invitation pending, and cancels it after a confirmation', async ({
  page,
  baseURL,
}, testInfo) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const { holder, holderEmail, password } = await freshOrganisation(baseURL ?? '', ['microsoft']);
  await holder.dispose();
  const invitee = `invite${unique()}@test.example.org`;
  await login(page, holderEmail, password);
  await page.goto('/account');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Invitations en attente' })).toBeVisible();
  await expect(page.getByTestId('no-invitations')).toBeVisible();

  await page.locator('#invite-name').fill('Nadia Benali');
  await page.locator('#invite-email').fill(invitee);
  await page.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Invitation envoyée' })).toBeVisible();
  // Pending, not a member: the same for a new address as for one that has an account.
  const entry = page.getByTestId('pending-invitations').locator('li').filter({ hasText: invitee });
  await expect(entry).toBeVisible();
  await expect(entry).toContainText('expire le');
  await expect(page.locator('ul.members').first()).not.toContainText(invitee);
  await expectNoAxeViolations(page, testInfo);
  await expectNoSidewaysScroll(page);

  // Cancelling asks first; "Non" keeps it, "Oui" ends it.
  await entry.getByRole('button', { name: "Annuler l'invitation" }).click();
  await expect(entry.getByRole('group')).toContainText(`Annuler l'invitation envoyée à ${invitee} ?`);
  await entry.getByRole('button', { name: 'Non, la garder' }).click();
  await expect(entry).toBeVisible();
  await entry.getByRole('button', { name: "Annuler l'invitation" }).click();
  await entry.getByRole('button', { name: "Oui, annuler l'invitation" }).click();
  await expect(page.getByTestId('pending-invitations').locator('li').filter({ hasText: invitee })).toHaveCount(0);
  await expect(page.getByText('Invitation annulée.')).toBeVisible();
  expect(errors).toEqual([]);
});
