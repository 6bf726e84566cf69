#!/usr/bin/env node
// The whole test suite, as CI and a researcher run it (`npm test`):
//   1. the better-sqlite3 binary loads in this Node (no script left another ABI behind);
//   2. typecheck (tsc + svelte-check) and the electron-vite build, which needs no Electron binary;
//   3. unit tests (vitest, plain Node);
//   4. model tests on the tiny real GGUF models in ../shared/models, serially;
//   5. browser tests: Playwright drives the real Svelte app in Chromium against the real backend (serve mode).
// It ends with one plain line "tests: N passed, N failed, N skipped" summed over all suites.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = [];

function step(name, command, args) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) failedSteps.push(name);
  return r.status === 0;
}

function vitest(project) {
  const out = join(results, `vitest-${project}.json`);
  rmSync(out, { force: true }); // never count a previous run's report
  const ok = step(`${project} tests`, 'npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile=${out}`]);
  try {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    if (report.numTotalTests === 0) failedSteps.push(`${project} tests ran no test`);
  } catch {
    if (ok) failedSteps.push(`${project} tests wrote no report`);
    totals.failed += 1;
  }
}

function playwright() {
  const out = join(results, 'playwright.json');
  rmSync(out, { force: true });
  const ok = step('browser tests', 'npx', ['playwright', 'test']);
  try {
    const { stats } = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
    if (stats.expected + stats.unexpected + stats.flaky === 0) failedSteps.push('browser tests ran no test');
  } catch {
    if (ok) failedSteps.push('browser tests wrote no report');
    totals.failed += 1;
  }
}

step('sqlite ABI', process.execPath, ['scripts/check-sqlite-abi.mjs']);
step('typecheck', 'npm', ['run', '-s', 'typecheck']);
step('build', 'npx', ['electron-vite', 'build']);
vitest('unit');
vitest('model');
playwright();

console.log(failedSteps.length > 0 ? `\nfailed steps: ${failedSteps.join(', ')}` : '\nall steps passed');
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length > 0 || totals.failed > 0 ? 1 : 0);
