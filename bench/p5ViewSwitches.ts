/**
 * P5V: view switches on a big study, measured in Chromium against the real backend in serve mode (see
 * bench/README.md). The store is P5A's (100,800 generations, 651,972 judgements); the baseline is the same
 * switches on an empty store, in the same process, so the ratio shows what the study's size costs.
 * Needs the built renderer (`npx electron-vite build`) and a Chromium (tests/e2e/browser.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { openStore } from '../src/main/store/openStore';
import { findChromium } from '../tests/e2e/browser';
import { startServe, stopServe } from '../tests/e2e/serveFixture';
import { REPO } from '../tests/support/paths';
import { buildJudgedStore } from './p5Aggregates';
import { f, median, say, verdict, type BenchOptions, type BenchResult } from './common';

const TARGET_MS = 300;
const ROUNDS = 5;
const ITEMS = 4200;
/** Every view of the nav bar, Results last and first (it opens on everything: no filter in the URL). */
const VIEWS = ['results', 'generations', 'runs', 'judges', 'annotate', 'datasets', 'models', 'welcome'] as const;
/** A view counts as drawn once no API call has been in flight for this long after its last frame. */
const QUIET_MS = 250;

/**
 * In the page: every `/api/` fetch is counted while in flight, and its completion schedules a double
 * requestAnimationFrame whose time is the "drawn" mark (the frame that shows the data). `__switchTo(view)` clicks
 * the nav link and resolves, once the API has been quiet for QUIET_MS, with the ms from the click to the last
 * such frame (or to the first frame after the click when the view fetched nothing).
 */
const INSTRUMENT = `(() => {
  const w = window;
  w.__inflight = 0;
  w.__drawn = 0;
  const frame = () => requestAnimationFrame(() => requestAnimationFrame(() => { w.__drawn = performance.now(); }));
  const original = w.fetch.bind(w);
  w.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (!url.includes('/api/')) return original(input, init);
    w.__inflight++;
    return original(input, init).then(async (response) => {
      // The body is read by the app; a clone waits for it to arrive in full.
      await response.clone().arrayBuffer().catch(() => undefined);
      return response;
    }).finally(() => { w.__inflight--; frame(); });
  };
  w.__switchTo = (view) => new Promise((resolve, reject) => {
    const link = document.querySelector('[data-testid="nav-' + view + '"]');
    if (!link) return reject(new Error('no nav link for ' + view));
    const t0 = performance.now();
    w.__drawn = 0;
    link.click();
    frame();
    const poll = () => {
      const now = performance.now();
      if (w.__inflight === 0 && w.__drawn > t0 && now - w.__drawn > ${QUIET_MS}) resolve(w.__drawn - t0);
      else setTimeout(poll, 20);
    };
    setTimeout(poll, 20);
  });
})()`;

/** Median switch time per view over ROUNDS rounds through every view, on the backend serving `dataDir`. */
async function measure(page: Page, url: string): Promise<Record<string, number>> {
  await page.goto(url);
  await page.waitForSelector('[data-testid="nav-results"]');
  const times: Record<string, number[]> = Object.fromEntries(VIEWS.map((v) => [v, []]));
  // One untimed round first: the bundle's lazy chunks and the backend's prepared statements warm up.
  for (let round = 0; round <= ROUNDS; round++)
    for (const view of VIEWS) {
      const ms = await page.evaluate((v) => (window as unknown as { __switchTo(v: string): Promise<number> }).__switchTo(v), view);
      if (round > 0) times[view]!.push(ms);
    }
  return Object.fromEntries(VIEWS.map((v) => [v, median(times[v]!)]));
}

export async function runP5ViewSwitches(_options: BenchOptions): Promise<BenchResult> {
  if (!existsSync(join(REPO, 'out', 'renderer', 'index.html'))) throw new Error('P5V needs the built renderer: run `npx electron-vite build` first.');
  say('P5V', `view switches in Chromium against serve mode · P5A's store (${ITEMS} items × 24 runs) vs an empty store · median of ${ROUNDS} rounds through ${VIEWS.length} views`);
  const bigDir = mkdtempSync(join(tmpdir(), 'align-bench-p5v-'));
  const emptyDir = mkdtempSync(join(tmpdir(), 'align-bench-p5v-empty-'));
  const store = openStore(join(bigDir, 'workbench.sqlite'));
  const built = buildJudgedStore(store, ITEMS);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  say('P5V', `built ${built.generations} generations, ${built.judgements} judgements`);
  const browser = await chromium.launch({ executablePath: findChromium().executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  try {
    const results: Record<'big' | 'empty', Record<string, number>> = { big: {}, empty: {} };
    for (const [arm, dir] of [['empty', emptyDir], ['big', bigDir]] as const) {
      const served = await startServe(dir);
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.addInitScript(INSTRUMENT);
        results[arm] = await measure(page, served.url);
        await page.close();
      } finally {
        // stopServe removes the data dir.
        await stopServe(served);
      }
    }
    for (const v of VIEWS)
      say('P5V', `  ${v.padEnd(12)} ${f(results.big[v]!, 0).padStart(5)} ms  (empty store ${f(results.empty[v]!, 0)} ms, ${f(results.big[v]! / Math.max(1, results.empty[v]!), 1)}×)`);
    const worst = VIEWS.reduce((w, v) => (results.big[v]! > results.big[w]! ? v : w), VIEWS[0] as string);
    const value = results.big[worst]!;
    const pass = value < TARGET_MS;
    say('P5V', `  slowest: ${worst} ${f(value, 0)} ms · target < ${TARGET_MS} ms ${verdict(pass)}`);
    return {
      id: 'P5V',
      metric: 'View switch, slowest view (median ms, fetched and drawn)',
      value,
      shown: `${f(value, 0)} ms`,
      target: `< ${TARGET_MS} ms`,
      pass,
      context: `${worst}; ${VIEWS.map((v) => `${v} ${f(results.big[v]!, 0)}`).join(', ')} ms; empty store: slowest ${f(Math.max(...Object.values(results.empty)), 0)} ms`,
      problems: [],
    };
  } finally {
    await browser.close();
    rmSync(bigDir, { recursive: true, force: true });
    rmSync(emptyDir, { recursive: true, force: true });
  }
}
