/**
 * The URL hash as a route: `#/<view>?<params>`, e.g. `#/generations?run=3&method=urial&q=water&item=42`.
 * Pure functions (no DOM, no runes) so the format is unit-tested; `router.svelte.ts` makes it reactive.
 */

export const VIEWS = ['models', 'datasets', 'runs', 'generations', 'annotate', 'judges', 'results', 'welcome'] as const;
export type View = (typeof VIEWS)[number];

export const DEFAULT_VIEW: View = 'models';

/** Query parameters of a route; an absent key means "not set" (never an empty string). */
export type RouteParams = Readonly<Record<string, string>>;

export interface Route {
  view: View;
  params: RouteParams;
}

export function isView(name: string): name is View {
  return (VIEWS as readonly string[]).includes(name);
}

/** Parses `location.hash`. Unknown views fall back to the default so an old or mistyped link still opens. */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#/, '').replace(/^\//, '');
  const q = body.indexOf('?');
  const name = decodeURIComponent(q === -1 ? body : body.slice(0, q)).replace(/\/+$/, '');
  const params: Record<string, string> = {};
  if (q !== -1) {
    for (const [key, value] of new URLSearchParams(body.slice(q + 1))) if (value !== '') params[key] = value;
  }
  return isView(name) ? { view: name, params } : { view: DEFAULT_VIEW, params: {} };
}

/** The hash for a route; keys are sorted so equal routes give equal strings (cheap change detection). */
export function formatHash(route: Route): string {
  const search = new URLSearchParams();
  for (const key of Object.keys(route.params).sort()) {
    const value = route.params[key];
    if (value !== undefined && value !== '') search.set(key, value);
  }
  const query = search.toString();
  return `#/${route.view}${query ? `?${query}` : ''}`;
}

/** Params with `patch` applied; `undefined`, `null` or '' in the patch removes the key. */
export function patchParams(params: RouteParams, patch: Record<string, string | number | null | undefined>): RouteParams {
  const next: Record<string, string> = { ...params };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === null || value === '') delete next[key];
    else next[key] = String(value);
  }
  return next;
}
