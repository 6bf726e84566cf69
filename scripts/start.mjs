#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed, else browser mode (`npm run serve`).
// The Electron binary is fetched lazily by electron's package on first require('electron'), and the download is
// blocked on some machines (DESIGN §3): so look for the binary on disk, never require('electron') here.
// Arguments after `npm start --` go to whichever mode starts (e.g. `npm start -- --port 8080` for serve).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseStartMode, probeServer } from './lib/startMode.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function electronBinary() {
  const electronDir = join(root, 'node_modules', 'electron');
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist');
  const binary = join(distDir, executable);
  return existsSync(binary) ? binary : null;
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  // Ctrl-C reaches the child through the terminal's process group; a SIGTERM sent to this script alone is
  // passed on, and this script exits with the child's status once it has stopped.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    console.error(`Could not start ${command}: ${err.message}`);
    process.exit(1);
  });
}

/** Runs a set-up step; false, with the gist of its error, when it fails. */
function setUp(what, command, commandArgs) {
  console.log(`${what}…`);
  const r = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', timeout: 10 * 60_000 });
  if (r.status === 0) return true;
  const lines = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.split('\n').map((l) => l.trim());
  console.log(`  failed: ${lines.find((l) => l && !l.startsWith('at ')) ?? r.error?.message ?? 'unknown error'}`);
  return false;
}

// First start on a machine with internet: fetch Electron (electron's own installer) and build better-sqlite3
// for Electron's ABI. Where either cannot be had, the same workbench runs in the browser instead; offline that is
// known after a 3 s check of Electron's download server, not after the installer's minute of retries.
const sqliteForElectron = join(root, 'native', 'electron', 'better_sqlite3.node');
const choice = await chooseStartMode({
  hasElectron: () => electronBinary() !== null,
  probe: (url) => probeServer(url),
  downloadElectron: () => setUp('Downloading Electron (first start only)', process.execPath, [join(root, 'node_modules', 'electron', 'install.js')]),
  hasSqlite: () => existsSync(sqliteForElectron),
  buildSqlite: () => setUp('Building the SQLite driver for Electron (first start only)', process.execPath, [join(root, 'scripts', 'rebuild-electron-sqlite.mjs')]),
});

if (choice.mode === 'desktop') {
  run('npx', ['electron-vite', 'dev', ...args]);
} else {
  console.log(`The desktop app cannot start here (${choice.reason}). Starting browser mode instead.`);
  run('npm', ['run', '-s', 'serve', ...(args.length > 0 ? ['--', ...args] : [])]);
}
