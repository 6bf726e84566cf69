// Reading which runtime a native addon (.node) was built for, by actually loading it.
// Shared by rebuild-electron-sqlite.mjs and check-sqlite-abi.mjs.
//
// Why load instead of trusting a tool: a build step can report success and still produce a binary for
// the wrong runtime (on these machines `npx electron-rebuild` does exactly that, because npm's config
// points node-gyp at Node's headers). The ABI a binary registers with (NODE_MODULE_VERSION) is the
// ground truth, and Node names it in its refusal message when the two differ.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the Electron-ABI build lives; keep in sync with src/main/store/nativeBinding.ts. */
export const ELECTRON_BINDING = join(ROOT, 'native', 'electron', 'better_sqlite3.node');

/** Electron version and ABI, read from node_modules/electron's files (never `require('electron')`, which downloads the binary). */
export function electronTarget() {
  const dir = join(ROOT, 'node_modules', 'electron');
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  const abi = Number(readFileSync(join(dir, 'abi_version'), 'utf8').trim());
  if (!version || !Number.isInteger(abi)) throw new Error(`could not read Electron's version/ABI from ${dir}`);
  return { version, abi };
}

/**
 * Load `file` in a child Node process (a wrong-ABI addon may crash its host) and report:
 *   { loads: true, abi: <this Node's ABI> }           it is a build for this Node
 *   { loads: false, abi: N, message }                 Node refused it: built for NODE_MODULE_VERSION N
 *   { loads: false, abi: undefined, message }         it failed for another reason (missing file, bad ELF…)
 */
export function probeNativeAbi(file) {
  const probe = spawnSync(process.execPath, ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', file], {
    encoding: 'utf8',
  });
  if (probe.status === 0) return { loads: true, abi: Number(process.versions.modules) };
  const message = (probe.stderr || `exit ${probe.status} signal ${probe.signal}`).trim();
  // Node: "…was compiled against a different Node.js version using NODE_MODULE_VERSION 150. This
  // version of Node.js requires NODE_MODULE_VERSION 115…": the first number is the binary's.
  const m = /using\s+NODE_MODULE_VERSION (\d+)/.exec(message);
  return { loads: false, abi: m ? Number(m[1]) : undefined, message: firstErrorLine(message) };
}

function firstErrorLine(stderr) {
  const lines = stderr.split('\n');
  const i = lines.findIndex((l) => /Error:/.test(l));
  return (i >= 0 ? lines.slice(i, i + 4) : lines.slice(0, 4)).join('\n');
}
