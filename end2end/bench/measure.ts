// The measurements of the web vitals specs (`vitals.spec.ts`, `staff_pages.spec.ts`): the
// observers a page's vitals are read from, Lighthouse's mobile throttling, and the medians
// written to VITALS_OUT as JSON lines.
import { expect, type Page, type CDPSession } from '@playwright/test';
import fs from 'node:fs';

export const OUT = process.env.VITALS_OUT ?? 'test-results/vitals.jsonl';
export const RUNS = Number(process.env.VITALS_RUNS ?? 3);
export const PASSWORD = 'demo-dons-2026';

declare global {
  interface Window {
    __vitals: { lcp: number; cls: number; hydrated: number };
    __tap: { clickAt: number; meterAt: number };
  }
}

/** Installed before any page script: the observers that the measurements read. */
export function observeVitals() {
  window.__vitals = { lcp: 0, cls: 0, hydrated: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__vitals.lcp = entry.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
      if (!entry.hadRecentInput) window.__vitals.cls += entry.value;
    }
  }).observe({ type: 'layout-shift', buffered: true });
  new MutationObserver((_, observer) => {
    if (document.querySelector('main[data-hydrated="true"]')) {
      window.__vitals.hydrated = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-hydrated'] });
}

export async function throttle(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: 1_600_000 / 8,
    uploadThroughput: 750_000 / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return cdp;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export function record(name: string, value: number, unit: string) {
  fs.appendFileSync(OUT, JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit }) + '\n');
}

/** Loads `path` RUNS times from a cold cache, throttled, and records the medians. */
export async function measurePage(page: Page, cdp: CDPSession, label: string, path: string) {
  const lcp: number[] = [];
  const cls: number[] = [];
  const ttfb: number[] = [];
  const html: number[] = [];
  const hydrated: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await cdp.send('Network.clearBrowserCache');
    await page.goto(path, { waitUntil: 'load' });
    await expect(page.locator('main[data-hydrated="true"]')).toBeAttached({ timeout: 60_000 });
    // LCP is final once the page has settled and before any input.
    await page.waitForTimeout(1_000);
    const v = await page.evaluate(() => ({
      ...window.__vitals,
      ttfb: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseStart,
      html: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd,
    }));
    expect(v.lcp, `no LCP entry for ${path}`).toBeGreaterThan(0);
    lcp.push(v.lcp);
    cls.push(v.cls);
    ttfb.push(v.ttfb);
    html.push(v.html);
    hydrated.push(v.hydrated);
  }
  record(`vitals.${label}.lcp`, median(lcp), 'ms');
  record(`vitals.${label}.cls`, Math.max(...cls), '');
  record(`vitals.${label}.ttfb`, median(ttfb), 'ms');
  record(`vitals.${label}.html`, median(html), 'ms');
  record(`vitals.${label}.hydrated`, median(hydrated), 'ms');
}
