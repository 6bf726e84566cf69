#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron/better_sqlite3.node, and proves it.
//
// Why a second binary: better-sqlite3 is not N-API, so a .node file loads only in the runtime whose
// ABI (NODE_MODULE_VERSION) it was compiled for. Tests and the CLI run in Node and use the build in
// node_modules/better-sqlite3/build; the Electron app needs one for Electron's ABI. The app passes that
// second file to better-sqlite3 as `nativeBinding` (src/main/store/nativeBinding.ts), so the two builds
// live side by side and no script ever flips the node_modules one back and forth.
//
// How:
//   1. copy the better-sqlite3 package (sources + bundled SQLite, without its build/) to a temp dir,
//      so node_modules/better-sqlite3/build is never touched;
//   2. run npm's own node-gyp there against Electron's headers:
//        node-gyp rebuild --release --target=<node_modules/electron version> --arch=<arch>
//                         --dist-url=https://electronjs.org/headers --devdir=~/.electron-gyp
//      node-gyp downloads the headers, so this step needs internet (electronjs.org). Offline, pass
//      `--nodedir=<dir>` with Electron's headers already extracted there;
//   3. VERIFY by loading the result under Node: it must be refused with "NODE_MODULE_VERSION <Electron's
//      ABI>" (node_modules/electron/abi_version). A binary that loads in Node is a Node build, whatever
//      the build tool printed (`npx electron-rebuild` prints success and builds for Node here, because
//      the machine's npmrc sets nodedir=/usr; so we drop npm's nodedir/target settings from node-gyp's
//      environment and pass everything explicitly);
//   4. only then move it to native/electron/, next to a small JSON record of what it was built from.
//
// Usage:
//   npm run rebuild:electron                       build + verify
//   npm run rebuild:electron -- --verify           only verify native/electron/ (e.g. copied from another machine)
//   npm run rebuild:electron -- --nodedir=<dir>    build against Electron headers already on disk
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { ELECTRON_BINDING, ROOT, electronTarget, probeNativeAbi } from './lib/nativeAbi.mjs';
import { ELECTRON_HEADERS_URL } from './lib/startMode.mjs';

const SQLITE_PKG = join(ROOT, 'node_modules', 'better-sqlite3');
const RECORD = ELECTRON_BINDING.replace(/\.node$/, '.json');

const args = process.argv.slice(2);
const verifyOnly = args.includes('--verify');
const nodedir = args.find((a) => a.startsWith('--nodedir='))?.slice('--nodedir='.length);
const unknown = args.filter((a) => a !== '--verify' && !a.startsWith('--nodedir='));
if (unknown.length > 0) fail(`unknown argument(s): ${unknown.join(' ')} (known: --verify, --nodedir=<dir>)`);

const electron = electronTarget();
const sqliteVersion = JSON.parse(readFileSync(join(SQLITE_PKG, 'package.json'), 'utf8')).version;

if (verifyOnly) {
  if (!existsSync(ELECTRON_BINDING)) fail(`${rel(ELECTRON_BINDING)} does not exist: run \`npm run rebuild:electron\` first`);
  verify(ELECTRON_BINDING);
  verifyRecord();
  process.exit(0);
}

console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electron.version} (ABI ${electron.abi}, ${process.arch})`);
const work = mkdtempSync(join(tmpdir(), 'align-sqlite-electron-'));
// On 'exit' rather than in a finally: fail() exits the process directly.
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const src = join(work, 'better-sqlite3');
// Sources only: a stale build/ would let node-gyp reuse objects compiled for Node.
cpSync(SQLITE_PKG, src, { recursive: true, filter: (p) => !['build', 'node_modules'].includes(relative(SQLITE_PKG, p)) });

const gypArgs = [
  'rebuild',
  '--release',
  `--target=${electron.version}`,
  `--arch=${process.arch}`,
  `--dist-url=${ELECTRON_HEADERS_URL}`,
  // Electron's headers get their own cache, apart from Node's.
  `--devdir=${join(homedir(), '.electron-gyp')}`,
  ...(nodedir ? [`--nodedir=${nodedir}`] : []),
];
const output = await run(process.execPath, [findNodeGyp(), ...gypArgs], src, nodeGypEnv());
if (output.code !== 0) {
  if (/network connectivity|rolling back install|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up|status code 40\d|tunneling socket|certificate/i.test(output.text)) {
    fail(
      `could not download Electron ${electron.version}'s headers from ${ELECTRON_HEADERS_URL} (no internet access?).\n` +
        `  Building better-sqlite3 for Electron needs them. Run \`npm run rebuild:electron\` on a machine with internet,\n` +
        `  or pass --nodedir=<dir> with Electron ${electron.version}'s headers extracted there.\n` +
        `  Nothing was changed: node_modules/better-sqlite3 (the Node build for tests and the CLI) is untouched.`,
    );
  }
  fail(`node-gyp failed (exit ${output.code}); see its output above. node_modules/better-sqlite3 is untouched.`);
}

const built = join(src, 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(built)) fail(`node-gyp reported success but produced no ${rel(built)}`);
verify(built);

mkdirSync(dirname(ELECTRON_BINDING), { recursive: true });
const staged = `${ELECTRON_BINDING}.tmp`;
cpSync(built, staged);
renameSync(staged, ELECTRON_BINDING);
writeFileSync(
  RECORD,
  JSON.stringify(
    { betterSqlite3: sqliteVersion, electron: electron.version, abi: electron.abi, arch: process.arch, platform: process.platform, builtAt: new Date().toISOString() },
    null,
    2,
  ) + '\n',
);
console.log(`Wrote ${rel(ELECTRON_BINDING)} (+ ${basename(RECORD)})`);

// ---------------------------------------------------------------------------------------------------

/** The binary must be refused by this Node, naming exactly Electron's ABI. */
function verify(file) {
  const probe = probeNativeAbi(file);
  if (probe.loads) {
    fail(
      `${rel(file)} loads in Node ${process.version} (ABI ${probe.abi}): it is a Node build, not an Electron one.\n` +
        `  Something built it against Node's headers (npm's nodedir/target config, or a --nodedir holding Node's headers).`,
    );
  }
  if (probe.abi === undefined) fail(`${rel(file)} could not be loaded at all, so its ABI is unknown:\n${probe.message}`);
  if (probe.abi !== electron.abi) {
    fail(`${rel(file)} is built for NODE_MODULE_VERSION ${probe.abi}, but Electron ${electron.version} needs ${electron.abi}.`);
  }
  console.log(
    `Verified ${rel(file)}: Node ${process.version} (ABI ${process.versions.modules}) refuses it as built for ` +
      `NODE_MODULE_VERSION ${probe.abi}, which is Electron ${electron.version}'s ABI (node_modules/electron/abi_version).`,
  );
}

/** The binary must match the better-sqlite3 JS in node_modules, and the Electron in node_modules. */
function verifyRecord() {
  if (!existsSync(RECORD)) {
    console.warn(`warning: no ${rel(RECORD)}: cannot tell which better-sqlite3 version the binary was built from`);
    return;
  }
  const record = JSON.parse(readFileSync(RECORD, 'utf8'));
  if (record.betterSqlite3 !== sqliteVersion) {
    fail(`${rel(ELECTRON_BINDING)} was built from better-sqlite3 ${record.betterSqlite3}, node_modules has ${sqliteVersion}: rebuild it`);
  }
  if (record.arch !== process.arch || record.platform !== process.platform) {
    fail(`${rel(ELECTRON_BINDING)} was built for ${record.platform}-${record.arch}, this is ${process.platform}-${process.arch}: rebuild it`);
  }
  console.log(`Verified ${rel(RECORD)}: better-sqlite3 ${record.betterSqlite3}, ${record.platform}-${record.arch}`);
}

/** npm's bundled node-gyp: npm tells scripts where it is; otherwise find it next to npm. */
function findNodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8', shell: process.platform === 'win32' }).stdout?.trim();
  const bundled = npmRoot && join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (bundled && existsSync(bundled)) return bundled;
  fail('could not find node-gyp (it ships with npm): run this through `npm run rebuild:electron`');
}

/**
 * node-gyp reads npm's config from `npm_config_*` variables, and those win over nothing we pass
 * only if we forget them: this machine's npmrc has nodedir=/usr, which silently builds for Node.
 * Drop every setting that picks headers or a target; keep network ones (proxy, cafile). Also drop the
 * log level: under `npm run -s` node-gyp would go silent, and its errors are what we diagnose from.
 */
function nodeGypEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|target_arch|arch|runtime|disturl|dist_url|devdir|build_from_source|loglevel)$/i.test(key)) delete env[key];
  }
  return env;
}

/** Run a command, streaming its output and keeping a copy to diagnose failures. */
function run(cmd, argv, cwd, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => { process.stdout.write(d); text += d; });
    child.stderr.on('data', (d) => { process.stderr.write(d); text += d; });
    child.on('close', (code) => resolvePromise({ code: code ?? 1, text }));
    child.on('error', (err) => resolvePromise({ code: 1, text: String(err) }));
  });
}

/** Project-relative when inside the project (short messages), absolute otherwise (the temp build). */
function rel(p) {
  const r = relative(ROOT, p);
  return r && !r.startsWith('..') ? r : p;
}

function fail(message) {
  console.error(`rebuild:electron: ${message}`);
  process.exit(1);
}
