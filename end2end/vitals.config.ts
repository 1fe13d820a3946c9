import { defineConfig } from '@playwright/test';

// Web vitals for `bench/run.sh`, apart from the end-to-end suite (`tests/`): one worker so
// that measurements never share the 2 cores, Lighthouse's mobile device (412×823, DPR 1.75),
// and the network and CPU throttling applied through CDP inside the spec.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './bench',
  // Every staff page has a run of its own (staff-vitals.config.ts).
  testMatch: 'vitals.spec.ts',
  // Not test-results/: Playwright empties its output folder, and the end-to-end run's
  // results.json lives there.
  outputDir: '../target/bench/playwright',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    locale: 'fr-BE',
    viewport: { width: 412, height: 823 },
    deviceScaleFactor: 1.75,
    isMobile: true,
    hasTouch: true,
    launchOptions: {
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
    },
  },
});
