/**
 * Applied to every webContents the app ever creates (app 'web-contents-created'), so a window or view added
 * later is locked down too. Electron types only: tests drive it with fakes.
 */
import type { WebContents } from 'electron';

export interface GuardOptions {
  /** The shell passes `shell.openExternal`. */
  openExternal: (url: string) => Promise<void>;
}

/** An absolute http(s) URL with no user:password part (which could disguise the real host). */
export function isExternalLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.username === '' && parsed.password === '';
}

export function guardWebContents(contents: WebContents, { openExternal }: GuardOptions): void {
  // No window of ours ever opens another. A Markdown link (target=_blank, see renderer/lib/renderMarkdown.ts)
  // lands here: http(s) links open in the system browser, outside the app and without window.api; any other
  // scheme (mailto:, file:, javascript:) does nothing.
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void openExternal(url).catch((err: unknown) => console.error(`Cannot open ${url}:`, err));
    return { action: 'deny' };
  });
  // The page is our bundle and nothing else: a link or a script must not take a page that holds window.api
  // elsewhere. Loads started by the shell (loadFile/loadURL) do not emit will-navigate.
  contents.on('will-navigate', (event) => event.preventDefault());
  // No <webview>: it would embed a page with its own preferences.
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
