import type { EvalApi } from './api';

declare global {
  interface Window {
    /**
     * Exposed by src/preload/index.ts through contextBridge in the desktop app; absent in the browser
     * (serve mode), where src/renderer/src/lib/api.ts talks HTTP/WebSocket instead.
     */
    api?: EvalApi;
  }
}
