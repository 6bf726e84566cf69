import type { AlignApi } from './api';

declare global {
  interface Window {
    /** Exposed by src/preload/index.ts through contextBridge; the renderer's only way to the backend. */
    api: AlignApi;
  }
}
