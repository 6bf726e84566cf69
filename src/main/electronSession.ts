import type { Session } from 'electron';

/**
 * The workbench needs no camera, microphone, notifications, geolocation or clipboard access: every permission
 * request is refused, and every permission check (what a page can query synchronously, e.g. before asking)
 * answers "denied". The CSP is also sent as a header (the <meta> in index.html covers file:// pages, which
 * skip this hook).
 */
export function lockDownSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
