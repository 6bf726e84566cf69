/**
 * The one spelling of a server's base URL that the client, the model library and the judge cache all use:
 * `http://host:8000`, `http://host:8000/` and `http://host:8000/v1/` all become `http://host:8000/v1`.
 * A URL with another path (a proxy mounting the API elsewhere, e.g. `…/api/v1`) is kept as given.
 */
export function normalizeBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new Error(`"${input}" is not a URL. Give the server's base URL, e.g. http://127.0.0.1:8000 or http://127.0.0.1:8000/v1.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`"${input}" is not an http(s) URL. Give the server's base URL, e.g. http://127.0.0.1:8000/v1.`);
  // Credentials, queries and fragments would end up in logs, the store and the judge cache key.
  if (url.username || url.password)
    throw new Error(`The base URL "${url.host}" carries a user name or password: pass the API key through an environment variable instead.`);
  if (url.search || url.hash) throw new Error(`The base URL "${input}" has a query or fragment: give only scheme, host, port and path.`);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path === '' ? '/v1' : path}`;
}
