import { join } from 'node:path';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../src/shared/api';
import { createApi, type Api } from '../../src/main/api/createApi';
import { createServices } from '../../src/main/services/createServices';
import { REPO, URIAL_DIR } from './paths';

/** The services in `dataDir` with the official URIAL prompts, its API over it, and `call` that throws API errors. */
export function openApiHarness(dataDir: string) {
  const workbench = createServices({ dataDir, resourcesDir: join(REPO, 'resources'), urialOfficialDir: URIAL_DIR });
  const api: Api = createApi(workbench, { transport: 'http' });
  return {
    workbench,
    api,
    async call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
      const r = await api.handle(method, params);
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.result as ApiResponse<M>;
    },
    async close() {
      await api.shutdown();
      await workbench.close();
    },
  };
}
