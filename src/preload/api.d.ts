/**
 * What the preload exposes as `window.api`, and all the renderer may know of it: the shared contract.
 * Types only: the renderer's tsconfig sees `src/preload/*.d.ts`, never the preload's code.
 */
export type { EvalApi } from '../shared/api';
