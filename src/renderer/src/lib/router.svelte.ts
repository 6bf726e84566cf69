import { formatHash, parseHash, patchParams, VIEWS, type Route, type RouteParams, type View } from './hashRoute';

/**
 * A small hash router: the current view and its state live in `location.hash`, so a view can be shared,
 * bookmarked and restored on reload. It also remembers the last params of every view, so the nav can send
 * the user back to the generations they were reading rather than to an empty filter.
 */
export class Router {
  #route = $state.raw<Route>(parseHash(location.hash));
  #lastParams = $state.raw<Record<View, RouteParams>>(Object.fromEntries(VIEWS.map((v) => [v, {}])) as Record<View, RouteParams>);

  constructor() {
    this.#remember(this.#route);
    // Back/forward and links typed or pasted by hand.
    window.addEventListener('hashchange', () => this.#set(parseHash(location.hash)));
  }

  get view(): View {
    return this.#route.view;
  }

  get params(): RouteParams {
    return this.#route.params;
  }

  /** The params of `view`: the live ones when it is the current view, else the ones it had last. */
  paramsOf(view: View): RouteParams {
    return view === this.#route.view ? this.#route.params : this.#lastParams[view];
  }

  /** The link of a view, with the state it had when the user left it. */
  hrefOf(view: View): string {
    return formatHash({ view, params: this.paramsOf(view) });
  }

  /** Goes to another view (a new history entry). */
  navigate(view: View, params: RouteParams = this.#lastParams[view]): void {
    this.#set({ view, params });
    location.hash = formatHash(this.#route);
  }

  /**
   * Changes params of `view`. Filters typed into a box replace the history entry (`push: false`) so Back does
   * not replay every keystroke; opening an item pushes one. Params of a view that is not shown are only
   * remembered.
   */
  update(view: View, patch: Record<string, string | number | null | undefined>, { push = false } = {}): void {
    const route = { view, params: patchParams(this.paramsOf(view), patch) };
    if (view !== this.#route.view) {
      this.#remember(route);
      return;
    }
    const hash = formatHash(route);
    if (hash === formatHash(this.#route)) return;
    this.#set(route);
    // pushState/replaceState do not fire `hashchange`, so the router does not hear its own writes.
    if (push) history.pushState(null, '', hash);
    else history.replaceState(null, '', hash);
  }

  #set(route: Route): void {
    this.#route = route;
    this.#remember(route);
  }

  #remember(route: Route): void {
    this.#lastParams = { ...this.#lastParams, [route.view]: route.params };
  }
}

export const router = new Router();
