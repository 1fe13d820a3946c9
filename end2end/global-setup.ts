import { request, type FullConfig } from '@playwright/test';
import { DEMO_MFA_SECRET, DEMO_PASSWORD, DEMO_STAFF, STAFF_SESSIONS_ENV, totp } from './tests/helpers';

/**
 * Logs each demo staff account in once, through both steps (password, then the code its
 * authenticator app would show, computed from the demo secret), and hands the sessions to the
 * tests. A TOTP code is accepted once, so the two workers and two projects cannot each log the
 * same account in again and again within one 30-second step; they share these sessions, and
 * `login()` reuses them for the demo staff.
 */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL ?? process.env.BASE_URL ?? 'http://127.0.0.1:3000';
  const headers = { accept: 'application/json' };
  const sessions: Record<string, string> = {};
  for (const identifier of DEMO_STAFF) {
    const context = await request.newContext({ baseURL });
    const password = await context.post('/api/login', { headers, form: { identifier, password: DEMO_PASSWORD } });
    if (!password.ok()) throw new Error(`login of ${identifier}: ${password.status()} ${await password.text()}`);
    // A code is accepted once: when the contract run's login just used this step's code, the
    // next step's (accepted within the one-step drift) is the one an authenticator shows next.
    const step = Math.floor(Date.now() / 30_000);
    let code = await context.post('/api/verify_mfa', { headers, form: { code: totp(DEMO_MFA_SECRET, step) } });
    if (!code.ok()) {
      code = await context.post('/api/verify_mfa', { headers, form: { code: totp(DEMO_MFA_SECRET, step + 1) } });
    }
    if (!code.ok()) throw new Error(`code of ${identifier}: ${code.status()} ${await code.text()}`);
    const state = await context.storageState();
    const cookie = state.cookies.find((c) => c.name === 'portal_session' && c.value !== '');
    if (!cookie) throw new Error(`no session for ${identifier}`);
    sessions[identifier] = cookie.value;
    await context.dispose();
  }
  process.env[STAFF_SESSIONS_ENV] = JSON.stringify(sessions);
}
