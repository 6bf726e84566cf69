import { CONTENT_SECURITY_POLICY } from '../../../shared/contentSecurityPolicy';

/**
 * The desktop CSP, plus what serve mode needs: the event WebSocket of the page's own origin (`'self'` covers
 * ws: to the same host in CSP 3 browsers; the explicit origin covers the others), and `frame-ancestors 'none'`,
 * which only a header can carry (the `<meta>` copy in index.html must leave it out, see contentSecurityPolicy.ts).
 *
 * @param host the request's `Host` header (already checked by the caller); dropped unless it is a plain
 *   host[:port], so nothing from a request can add a directive.
 */
export function serveContentSecurityPolicy(host: string | undefined): string {
  const wsOrigin = host && /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? ` ws://${host}` : '';
  return `${CONTENT_SECURITY_POLICY}; connect-src 'self'${wsOrigin}; frame-ancestors 'none'`;
}
