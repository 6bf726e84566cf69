import type { ApiMethod, ApiRequest, ApiResponse, AppInfo, FileKind } from '../../../shared/api';
import type { Services } from '../../services/createServices';
import type { wireMappers } from '../wire';

/** The handler of each API method whose name starts with one of `Prefix` (e.g. 'runs' → 'runs.list', 'runs.get'…). */
export type HandlersFor<Prefix extends string> = {
  [M in Extract<ApiMethod, `${Prefix}.${string}`>]: (params: ApiRequest<M>) => ApiResponse<M> | Promise<ApiResponse<M>>;
};

export interface ApiOptions {
  transport: AppInfo['transport'];
  /** A native file dialog, which only the desktop shell can offer. */
  pickFile?: (kind: FileKind) => Promise<string | null>;
}

/** What every handler group is built from. */
export interface HandlerContext {
  services: Services;
  options: ApiOptions;
  wire: ReturnType<typeof wireMappers>;
  /** Pushes `runs.changed` with the run's stored status. */
  changed(runId: number): void;
}

/** The import field mapping of datasets.preview / datasets.import. */
export const mappingOf = (id?: string, instruction?: string) => (id || instruction ? { id, instruction } : undefined);
