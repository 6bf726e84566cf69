#!/usr/bin/env node
// Asserts that node_modules/better-sqlite3 is the build for THIS Node: it loads and opens a database.
// Tests and the CLI rely on it; Electron has its own build in native/electron/ (see
// rebuild-electron-sqlite.mjs). This catches any tool that rebuilt the package in place for another
// ABI (e.g. an electron-rebuild run), which would otherwise surface as a cryptic error mid-test.
// If native/electron/ holds a binary, it also checks that one is NOT a Node build.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { ELECTRON_BINDING, ROOT, electronTarget, probeNativeAbi } from './lib/nativeAbi.mjs';

const require = createRequire(join(ROOT, 'package.json'));

let Database;
try {
  Database = require('better-sqlite3');
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (x INTEGER)');
  db.prepare('INSERT INTO t VALUES (?)').run(42);
  const { x } = db.prepare('SELECT x FROM t').get();
  const { v } = db.prepare('SELECT sqlite_version() AS v').get();
  db.close();
  if (x !== 42) throw new Error(`read back ${x}, expected 42`);
  console.log(`ok: node_modules/better-sqlite3 opens a database in Node ${process.version} (ABI ${process.versions.modules}), SQLite ${v}`);
} catch (err) {
  console.error(
    `check-sqlite-abi: node_modules/better-sqlite3 does not work in Node ${process.version} (ABI ${process.versions.modules}):\n` +
      `  ${String(err?.message ?? err).split('\n').join('\n  ')}\n` +
      `  Something rebuilt it for another runtime. Restore the Node build with \`npm rebuild better-sqlite3\`;\n` +
      `  build Electron's copy with \`npm run rebuild:electron\` (it goes to native/electron/, not node_modules).`,
  );
  process.exit(1);
}

if (existsSync(ELECTRON_BINDING)) {
  const probe = probeNativeAbi(ELECTRON_BINDING);
  const { version, abi } = electronTarget();
  const where = relative(ROOT, ELECTRON_BINDING);
  if (probe.loads) {
    console.error(`check-sqlite-abi: ${where} loads in Node: it is a Node build, Electron ${version} cannot use it. Run \`npm run rebuild:electron\`.`);
    process.exit(1);
  }
  if (probe.abi !== abi) {
    console.error(`check-sqlite-abi: ${where} is built for ABI ${probe.abi ?? 'unknown'}, Electron ${version} needs ${abi}. Run \`npm run rebuild:electron\`.\n${probe.message}`);
    process.exit(1);
  }
  console.log(`ok: ${where} is built for Electron ${version} (ABI ${abi})`);
} else {
  console.log(`note: no ${relative(ROOT, ELECTRON_BINDING)} (only the Electron app needs it: \`npm run rebuild:electron\`)`);
}
