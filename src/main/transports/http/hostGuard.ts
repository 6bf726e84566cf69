const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** `host:port` as it appears in a URL or a `Host` header (IPv6 in brackets). */
export function hostWithPort(host: string, port: number): string {
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

export interface HostGuard {
  /** Whether a request with this `Host` header may be answered. */
  allowsHost(hostHeader: string | undefined): boolean;
  /** Whether a browser page of this `Origin` may open the event socket (absent Origin: not a browser, allowed). */
  allowsOrigin(origin: string | undefined): boolean;
}

/**
 * DNS-rebinding guard. A page on evil.example whose name an attacker re-points at 127.0.0.1 reaches a loopback
 * server with `Host: evil.example:<port>`, so a loopback server answers only the names that really mean this
 * machine. When the user binds another host explicitly (serving a LAN), any name may be used to reach it;
 * the token is then the only gate.
 */
export function createHostGuard(boundHost: string, port: number): HostGuard {
  if (!isLoopbackHost(boundHost)) return { allowsHost: () => true, allowsOrigin: () => true };
  const allowed = new Set(['127.0.0.1', 'localhost', '[::1]', boundHost.toLowerCase()].map((h) => hostWithPort(h, port)));
  const allowsHost = (hostHeader: string | undefined) => hostHeader !== undefined && allowed.has(hostHeader.toLowerCase());
  return {
    allowsHost,
    allowsOrigin: (origin) => {
      if (origin === undefined) return true;
      const match = /^http:\/\/([^/]+)$/i.exec(origin);
      return match !== null && allowsHost(match[1]);
    },
  };
}
