/**
 * What the preload exposes as `window.api`, and all the renderer may know of it.
 * Types only: the renderer's tsconfig sees `src/preload/*.d.ts`, never the preload's code.
 * (When the API contract lands in `src/shared/`, this becomes an alias of its type.)
 */
export interface AlignApi {
  /** The app's version (package.json `version`), from the main process. */
  version(): Promise<string>;
}
