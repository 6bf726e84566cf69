import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './src/shared/contentSecurityPolicy';

// Native modules stay out of the main bundle: they load a platform `.node` binary at runtime
// (better-sqlite3 through `nativeBinding`, node-llama-cpp through its prebuilt packages) and resolve
// files next to their own package, which a bundler would break. They ship as node_modules in the app.
// Everything else that main imports is plain JS and is bundled, so the packaged app needs no other deps.
const NATIVE_DEPS = ['node-llama-cpp', 'better-sqlite3'];

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      lib: { entry: resolve(root, 'src/main/index.ts') },
      externalizeDeps: false,
      rolldownOptions: { external: NATIVE_DEPS },
    },
  },
  preload: {
    build: {
      lib: { entry: resolve(root, 'src/preload/index.ts') },
      // A sandboxed preload is not loaded by Node's module system: it may only `require` a few
      // electron modules. So it must be one self-contained CommonJS file with `electron` as its only
      // external (electron-vite keeps electron and Node builtins external by default; no deps are).
      externalizeDeps: false,
      rolldownOptions: {
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    build: {
      rolldownOptions: { input: resolve(root, 'src/renderer/index.html') },
    },
    // Without `configFile` the plugin looks for svelte.config.js in the renderer root (src/renderer).
    plugins: [svelte({ configFile: resolve(root, 'svelte.config.js') }), cspMetaMatchesShell()],
  },
});

/**
 * index.html carries the CSP as a `<meta>` (file:// pages bypass the header the shell sets); fail the
 * build if that copy drifted from the shared constant the shell uses.
 */
function cspMetaMatchesShell(): Plugin {
  return {
    name: 'align:csp-meta-matches-shell',
    transformIndexHtml(html) {
      const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
      if (meta?.[1] !== CONTENT_SECURITY_POLICY) {
        throw new Error(
          'src/renderer/index.html: the Content-Security-Policy <meta> must equal CONTENT_SECURITY_POLICY ' +
            `in src/shared/contentSecurityPolicy.ts.\n  meta:   ${meta?.[1] ?? '(missing)'}\n  shared: ${CONTENT_SECURITY_POLICY}`,
        );
      }
      return html;
    },
  };
}
