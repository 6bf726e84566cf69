#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed, else browser mode (`npm run serve`).
// The Electron binary is fetched lazily by electron's package on first require('electron'), and the download is
// blocked on some machines (DESIGN §3): so look for the binary on disk, never require('electron') here.
// Arguments after `npm start --` go to whichever mode starts (e.g. `npm start -- --port 8080` for serve).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

if (electronBinary()) {
  run('npx', ['electron-vite', 'dev', ...args]);
} else {
  console.log('The Electron binary is not installed (it could not be downloaded). Starting browser mode instead.');
  run('npm', ['run', '-s', 'serve', ...(args.length > 0 ? ['--', ...args] : [])]);
}
