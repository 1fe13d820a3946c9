import { expect, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Waits until the WASM has hydrated the page (the app marks <main> once its effects run). */
export async function waitForHydration(page: Page) {
  await expect(page.locator('main[data-hydrated="true"]')).toBeAttached();
}

/** Collects console errors and failed requests so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  return errors;
}

/** Runs axe-core (WCAG 2.1 A/AA and best practices) and fails on any violation. */
export async function expectNoAxeViolations(page: Page, testInfo: TestInfo) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  await testInfo.attach('axe', { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

export const isPhone = (testInfo: TestInfo) => testInfo.project.name === 'phone';
