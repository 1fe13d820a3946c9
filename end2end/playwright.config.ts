import { defineConfig } from '@playwright/test';

// The browser is Debian's Chromium, in its headless shell (the package chromium-headless-shell,
// the same version): Playwright never downloads one here. The shell is Chromium without the
// browser's window machinery, as Playwright's own headless runs use; the suite took 28 % less
// CPU in it than in the full browser's headless mode (BENCHMARKS.md). The web vitals
// (vitals.config.ts) are measured in the full browser.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium-headless-shell';

export default defineConfig({
  testDir: './tests',
  // The demo staff sign in once, with their second factor, for every test (see the file).
  globalSetup: './global-setup.ts',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  // One retry on CI only; scripts/test.sh names every test that needed it.
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    // A Belgian French browser; tests of other languages set their own headers or cookies.
    locale: 'fr-BE',
    // Recording a trace (snapshots of every step) costs CPU in every test, passed or not: on
    // CI only the retry of a failed test records one; here every failure keeps its trace.
    trace: process.env.CI ? 'on-first-retry' : 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'phone', use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
  ],
});
