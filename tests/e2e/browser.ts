import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * The browser the e2e tests drive: Playwright's own Chromium when it is installed (a normal developer
 * machine after `npx playwright install chromium`), else the system Chromium (Debian's `chromium`, which
 * .ci/run installs). With neither, say exactly what to install instead of failing obscurely.
 */
export function findChromium(): { executablePath?: string; source: string } {
  const own = chromium.executablePath();
  if (own && existsSync(own)) return { source: `Playwright's Chromium (${own})` };
  for (const path of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (path && existsSync(path)) return { executablePath: path, source: path };
  }
  throw new Error(
    'No Chromium found for the browser tests. Install one of:\n' +
      '  - Playwright\'s: npx playwright install chromium\n' +
      '  - Debian/Ubuntu: sudo apt-get install chromium\n' +
      '  - or point CHROMIUM_PATH at a Chromium/Chrome binary.',
  );
}
