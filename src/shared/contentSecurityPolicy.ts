/**
 * The one Content-Security-Policy of the renderer. Imports nothing.
 *
 * It is applied twice, on purpose:
 * - as a response header by the Electron shell (`session.webRequest.onHeadersReceived`), which covers
 *   the dev server and any http(s) response, and later the loopback server of serve mode;
 * - as a `<meta http-equiv>` in `src/renderer/index.html`, because `file://` pages (the packaged app)
 *   never pass through `onHeadersReceived`. The build fails if the two differ (electron.vite.config.ts).
 *
 * Why each source:
 * - `default-src 'self'`: nothing remote, ever; the app works offline and data stays local.
 * - `script-src 'self'`: no inline scripts, no eval; every script is a bundled file.
 * - `style-src 'self' 'unsafe-inline'`: Vite's dev server injects component CSS as `<style>` elements,
 *   and Svelte writes `style="…"` attributes. Inline style cannot run code.
 * - `img-src 'self' data:`: charts exported as PNG data URLs.
 * - `object-src 'none'`, `base-uri 'none'`, `form-action 'none'`: no plugins, no `<base>` hijack, no form
 *   posts. (`frame-ancestors` is left out: Chromium ignores it in a `<meta>` and warns, and the two
 *   copies must stay identical.)
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'";
