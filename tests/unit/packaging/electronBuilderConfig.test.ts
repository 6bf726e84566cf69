// The installers cannot be built here (no Electron binary, no electron-builder downloads), so this checks the
// SHAPE of electron-builder.json5 against what the app needs at run time: the targets, what goes into the app,
// which native files stay outside the asar, the extra resources the code looks for, and per-target binaries.
import { existsSync, readFileSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_SQLITE_BINDING_PATH } from '../../../src/main/store/nativeBinding';
import { REPO } from '../../support/paths';

interface FileSet {
  from: string;
  to: string;
  filter: string[];
}
interface BuilderConfig {
  appId: string;
  productName: string;
  icon: string;
  files: string[];
  asarUnpack: string[];
  extraResources: FileSet[];
  npmRebuild: boolean;
  asar: boolean;
  electronFuses?: Record<string, boolean>;
  afterPack: string;
  directories: { buildResources: string; output: string };
  linux: { target: string[]; maintainer: string };
  mac: { target: string[] };
  win: { target: string[] };
}

/** electron-builder reads JSON5; the file keeps to JSON plus whole-line `//` comments, parsed here without a dependency. */
function readConfig(): BuilderConfig {
  const text = readFileSync(join(REPO, 'electron-builder.json5'), 'utf8');
  const json = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  try {
    return JSON.parse(json) as BuilderConfig;
  } catch (err) {
    throw new Error(`electron-builder.json5 must stay JSON with whole-line // comments (no trailing commas, no inline comments): ${String(err)}`);
  }
}

const config = readConfig();
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  productName: string;
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/**
 * electron-builder's `files` semantics: production dependencies (node_modules) are in unless excluded, other
 * files only when a pattern names them; patterns apply in order, a later match (negated or not) wins.
 */
function included(path: string, patterns: string[], os: string, arch: string): boolean {
  let result = path.startsWith('node_modules/');
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replaceAll('${os}', os).replaceAll('${arch}', arch);
    if (matchesGlob(path, pattern)) result = !negated;
  }
  return result;
}

describe('electron-builder config', () => {
  it('builds AppImage + deb, dmg and nsis for the app id and product name', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe(pkg.productName);
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    // deb refuses to build without a maintainer (or an author email in package.json).
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/);
    expect(config.mac.target).toContain('dmg');
    expect(config.win.target).toContain('nsis');
  });

  it('has an icon in resources/: a PNG of at least 512×512 (macOS needs 512 for .icns), with its SVG source', () => {
    expect(config.icon.startsWith(`${config.directories.buildResources}/`)).toBe(true);
    const png = readFileSync(join(REPO, config.icon));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
    expect(existsSync(join(REPO, 'resources', 'icon.svg'))).toBe(true);
  });

  it('packs the build output and package.json, and no tests, benchmarks or sources', () => {
    const files = config.files;
    expect(included(pkg.main.replace(/^\.\//, ''), files, 'linux', 'x64')).toBe(true);
    expect(included('out/renderer/index.html', files, 'linux', 'x64')).toBe(true);
    expect(included('package.json', files, 'linux', 'x64')).toBe(true);
    for (const path of ['tests/model/download.test.ts', 'bench/run.ts', 'src/main/index.ts', 'scripts/start.mjs', 'native/electron/better_sqlite3.node', 'resources/icon.png'])
      expect(included(path, files, 'linux', 'x64'), path).toBe(false);
  });

  it("keeps only each target's node-llama-cpp binaries: CPU + Metal/Vulkan, never CUDA or other OSes", () => {
    const llama = JSON.parse(readFileSync(join(REPO, 'node_modules', 'node-llama-cpp', 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> };
    const packages = Object.keys(llama.optionalDependencies).map((name) => name.replace('@node-llama-cpp/', ''));
    const kept = (os: string, arch: string) =>
      packages.filter((p) => included(`node_modules/@node-llama-cpp/${p}/bins/${p}/llama-addon.node`, config.files, os, arch)).sort();
    expect(kept('linux', 'x64')).toEqual(['linux-x64', 'linux-x64-vulkan']);
    expect(kept('linux', 'arm64')).toEqual(['linux-arm64']);
    expect(kept('mac', 'arm64')).toEqual(['mac-arm64-metal']);
    expect(kept('mac', 'x64')).toEqual(['mac-x64']);
    expect(kept('win', 'x64')).toEqual(['win-x64', 'win-x64-vulkan']);
    expect(kept('win', 'arm64')).toEqual(['win-arm64']);
    // The JS of node-llama-cpp itself stays; its llama.cpp source bundle (only for building from source) does not.
    expect(included('node_modules/node-llama-cpp/dist/index.js', config.files, 'linux', 'x64')).toBe(true);
    expect(included('node_modules/node-llama-cpp/llama/gitRelease.bundle', config.files, 'linux', 'x64')).toBe(false);
  });

  it('flips the Electron fuses: no RunAsNode or NODE_OPTIONS, encrypted cookies, asar only and checked', () => {
    const config = readConfig();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // onlyLoadAppFromAsar and the integrity check mean nothing without an asar.
    expect(config.asar).toBe(true);
  });

  it('unpacks the native modules from the asar', () => {
    const unpacked = (path: string) => config.asarUnpack.some((pattern) => matchesGlob(path, pattern));
    expect(unpacked('node_modules/better-sqlite3/lib/database.js')).toBe(true);
    expect(unpacked('node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node')).toBe(true);
    expect(unpacked('node_modules/node-llama-cpp/bins/_linux-x64.moved.txt')).toBe(true);
    expect(unpacked('out/main/index.js')).toBe(false);
  });

  it('ships prompts, datasets, the catalogue and the Electron build of better-sqlite3 where the code looks for them', () => {
    const resources = config.extraResources.find((r) => r.from === 'resources')!;
    // Packaged, the workbench's resourcesDir is process.resourcesPath itself (src/main/index.ts).
    expect(resources.to).toBe('.');
    for (const dir of ['prompts', 'datasets', 'catalogue']) {
      expect(resources.filter, dir).toContain(`${dir}/**/*`);
      expect(existsSync(join(REPO, 'resources', dir)), dir).toBe(true);
    }
    expect(existsSync(join(REPO, 'resources', 'catalogue', 'models.json'))).toBe(true);
    // nativeBinding.ts looks for <resourcesPath>/native/electron/better_sqlite3.node in a packaged app.
    const native = config.extraResources.find((r) => r.from === 'native/electron')!;
    expect(join(native.to, native.filter[0]!)).toBe(ELECTRON_SQLITE_BINDING_PATH);
    // No in-place rebuild of node_modules/better-sqlite3 (it holds the Node build tests and the CLI use).
    expect(config.npmRebuild).toBe(false);
    expect(existsSync(join(REPO, config.afterPack))).toBe(true);
  });

  it('npm run dist builds, makes the Electron sqlite, then runs a pinned electron-builder that is not a dependency', () => {
    const dist = pkg.scripts.dist!;
    expect(dist).toMatch(/^npm run build && npm run rebuild:electron && npx --yes electron-builder@\d+\.\d+\.\d+ --config electron-builder\.json5/);
    expect(pkg.dependencies['electron-builder']).toBeUndefined();
    expect(pkg.devDependencies['electron-builder']).toBeUndefined();
  });

  it('has a workflow that builds on Linux, macOS (both architectures) and Windows', () => {
    const workflow = readFileSync(join(REPO, '.github', 'workflows', 'installers.yml'), 'utf8');
    for (const runner of ['ubuntu-latest', 'macos-14', 'macos-13', 'windows-latest']) expect(workflow).toContain(`runner: ${runner}`);
    for (const target of ['--linux --x64', '--mac --arm64', '--mac --x64', '--win --x64']) expect(workflow).toContain(target);
    expect(workflow).toContain('npm run dist --');
    expect(workflow).toContain('actions/upload-artifact');
  });
});
