import vitals from './vitals.config';
import { defineConfig } from '@playwright/test';

// Every staff page's web vitals (`bench/staff_pages.spec.ts`), with the settings of the
// vitals run: one worker, the phone, the throttling inside the spec.
export default defineConfig({ ...vitals, testMatch: 'staff_pages.spec.ts' });
