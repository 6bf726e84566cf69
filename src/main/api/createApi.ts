import type { ApiErrorBody, ApiEvent, ApiEvents, ApiMethod, ApiRequest, ApiResponse, ApiResult } from '../../shared/api';
import { apiRequestSchemas, isApiMethod } from '../../shared/apiSchemas';
import type { Services } from '../services/createServices';
import { apiErrorCodeOf } from '../services/errors';
import { annotationHandlers } from './handlers/annotation';
import { appHandlers } from './handlers/app';
import { datasetsHandlers } from './handlers/datasets';
import { generationsHandlers } from './handlers/generations';
import { judgingHandlers } from './handlers/judging';
import { modelsHandlers } from './handlers/models';
import { referenceHandlers } from './handlers/reference';
import { resultsHandlers } from './handlers/results';
import { runsHandlers } from './handlers/runs';
import type { ApiOptions, HandlerContext } from './handlers/types';

export type { ApiOptions } from './handlers/types';
import { wireMappers } from './wire';

type Handlers = { [M in ApiMethod]: (params: ApiRequest<M>) => ApiResponse<M> | Promise<ApiResponse<M>> };
type Listener = (event: ApiEvent, payload: ApiEvents[ApiEvent]) => void;

export interface Api {
  /** Validates and dispatches one call. Never throws: failures come back as typed errors. */
  handle(method: string, params: unknown): Promise<ApiResult<ApiMethod>>;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void;
  /** Pauses running work (runs, judge runs, downloads) so it can resume later. */
  shutdown(): Promise<void>;
}


/**
 * Implements the contract in `shared/api.ts` as a thin handler table over the services (one file per domain in
 * handlers/): requests are validated against the shared schemas, answers mapped to wire types (wire.ts), and the
 * services' events forwarded. Transport-agnostic:
 * the IPC and HTTP adapters and the CLI only move the calls and events.
 */
export function createApi(services: Services, options: ApiOptions): Api {
  const ctx: HandlerContext = {
    services,
    options,
    wire: wireMappers(services),
    changed: (runId) => services.events.emit('runs.changed', { runId, status: services.runs.get(runId).status }),
  };
  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...modelsHandlers(ctx),
    ...datasetsHandlers(ctx),
    ...runsHandlers(ctx),
    ...generationsHandlers(ctx),
    ...annotationHandlers(ctx),
    ...judgingHandlers(ctx),
    ...resultsHandlers(ctx),
    ...referenceHandlers(ctx),
  };

  return {
    async handle(method, params) {
      if (!isApiMethod(method)) return failure({ code: 'unknown_method', message: `Unknown API method "${method}".` });
      const parsed = apiRequestSchemas[method].safeParse(params ?? {});
      if (!parsed.success) {
        return failure({
          code: 'invalid_request',
          message: `Invalid request for ${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      try {
        const handler = handlers[method] as (p: unknown) => unknown;
        return { ok: true, result: (await handler(parsed.data)) as ApiResponse<ApiMethod> };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return failure({ code: apiErrorCodeOf(err), message });
      }
    },
    subscribe: (listener) => services.events.subscribe(listener as never),
    shutdown: () => services.stopWork(),
  };
}

function failure(error: ApiErrorBody): ApiResult<ApiMethod> {
  return { ok: false, error };
}
