import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { guardWebContents, isExternalLink } from '../../../src/main/electronWebContents';
import { lockDownSession } from '../../../src/main/electronSession';

type OpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

/** A fake webContents: the events the guard listens to, and the window-open handler it installs. */
function fakeContents() {
  const contents = Object.assign(new EventEmitter(), {
    openHandler: null as OpenHandler | null,
    setWindowOpenHandler(handler: OpenHandler) {
      this.openHandler = handler;
    },
  });
  return contents;
}

function preventable() {
  return { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}

describe('guardWebContents (every webContents, via app "web-contents-created")', () => {
  it('denies every window.open; opens http(s) links in the system browser instead, nothing else', () => {
    const contents = fakeContents();
    const openExternal = vi.fn(async () => {});
    guardWebContents(contents as unknown as WebContents, { openExternal });
    for (const url of ['https://example.org/a?b=1', 'http://localhost:8080/', 'javascript:alert(1)', 'file:///etc/passwd', 'mailto:a@b.c', 'data:text/html,x', 'not a url']) {
      expect(contents.openHandler!({ url }), url).toEqual({ action: 'deny' });
    }
    expect(openExternal.mock.calls).toEqual([['https://example.org/a?b=1'], ['http://localhost:8080/']]);
  });

  it('blocks navigation away from the page and any <webview>', () => {
    const contents = fakeContents();
    guardWebContents(contents as unknown as WebContents, { openExternal: async () => {} });
    const nav = preventable();
    contents.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.defaultPrevented).toBe(true);
    const webview = preventable();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
  });

  it('isExternalLink accepts only absolute http(s) URLs without credentials', () => {
    expect(isExternalLink('https://example.org')).toBe(true);
    expect(isExternalLink('https://user:pw@example.org')).toBe(false);
    expect(isExternalLink('HTTPS://EXAMPLE.ORG')).toBe(true);
    expect(isExternalLink('//example.org')).toBe(false);
    expect(isExternalLink('file:///x')).toBe(false);
  });
});

describe('lockDownSession', () => {
  it('denies every permission request and every permission check, and adds the CSP header', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      webRequest: { onHeadersReceived: (h: never) => (handlers.headers = h) },
    };
    lockDownSession(session as unknown as Session, "default-src 'self'");
    const granted = vi.fn();
    (handlers.request as (w: unknown, p: string, cb: (ok: boolean) => void) => void)({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect((handlers.check as (w: unknown, p: string) => boolean)({}, 'clipboard-read')).toBe(false);
    const headers = vi.fn();
    (handlers.headers as (d: unknown, cb: (r: unknown) => void) => void)({ responseHeaders: { A: ['1'] } }, headers);
    expect(headers).toHaveBeenCalledWith({ responseHeaders: { A: ['1'], 'Content-Security-Policy': ["default-src 'self'"] } });
  });
});
