import { defineConfig } from '@playwright/test';
import { findChromium } from './tests/e2e/browser';

const browser = findChromium();

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  // The backend loads real models: one test file at a time keeps the 2-core CI machine honest.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: browser.executablePath,
      // Flags measured on these machines: without the background-networking ones Chromium keeps dialling
      // out, and the sandbox needs privileges CI does not have.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
