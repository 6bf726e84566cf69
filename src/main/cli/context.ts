/**
 * What every CLI command shares: the API (built once, lazily, over the composition root), a typed call, the
 * pushed events, and the CLI's conventions (exit codes, ids on the last line, paths relative to the caller).
 */
import { writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ApiErrorCode, ApiEvent, ApiEvents, ApiMethod, ApiRequest, ApiResponse, AppInfo } from '../../shared/api';
import { createApi, type Api } from '../api/createApi';
import { createServices, type Services } from '../services/createServices';
import { checkoutReferenceDir, defaultDataDir, RESOURCES_DIR, referenceEnv, urialOfficialDir } from '../paths';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A bad combination of arguments found after parsing (commander reports the ones it finds itself). */
export class UsageError extends Error {}

/** An API call that failed; `code` tells a usage problem (invalid_request) from a failure. */
export class CallError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

let backend: { services: Services; api: Api } | undefined;
let dataDirOption: () => string | undefined = () => undefined;

/** Set by the program: where the --data-dir option is read (once commander has parsed it). */
export function useDataDirOption(read: () => string | undefined): void {
  dataDirOption = read;
}

/**
 * The services and API of this process, built on first use (commands that need no store never open one).
 * `transport`: what app.info reports, 'http' when `serve` hands this API to a browser.
 */
export function backendOf(transport: AppInfo['transport'] = 'cli'): { services: Services; api: Api } {
  if (!backend) {
    const dataDir = dataDirOption() ?? process.env.ALIGN_DATA_DIR ?? defaultDataDir();
    const services = createServices({
      dataDir: userPath(dataDir),
      resourcesDir: RESOURCES_DIR,
      urialOfficialDir: urialOfficialDir(),
      reference: { ...referenceEnv(), fallbackDir: checkoutReferenceDir() },
      watchStaleOwners: transport === 'http',
    });
    backend = { services, api: createApi(services, { transport }) };
  }
  return backend;
}

/** Calls the API; a failure becomes a CallError with the API's own message. */
export async function call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
  const result = await backendOf().api.handle(method, params);
  if (!result.ok) throw new CallError(result.error.code, result.error.message);
  return result.result as ApiResponse<M>;
}

/** Subscribes to one kind of pushed event (the same stream serve mode sends over its WebSocket). */
export function on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
  return backendOf().api.subscribe((name, payload) => {
    if (name === event) listener(payload as ApiEvents[E]);
  });
}

/** Pauses running work and closes the store; a no-op when no command opened it. */
export async function closeBackend(): Promise<void> {
  await backend?.services.close();
  backend = undefined;
}

/**
 * A path as the user typed it, made absolute against the folder they typed the command in: npm runs scripts in
 * the project folder and says where the caller was in INIT_CWD.
 */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/**
 * Prints a number alone on its line (ids, counts: the last line of many commands is a contract). Not console.log:
 * it colours numbers when FORCE_COLOR is set, and outside scripts would read escape codes.
 */
export function printId(n: number): void {
  process.stdout.write(`${n}\n`);
}

/** Text to a file (saying so on stderr) or to stdout. */
export function writeOrPrint(text: string, out: string | undefined): void {
  if (!out) return void process.stdout.write(text);
  writeFileSync(userPath(out), text);
  console.error(`wrote ${out}`);
}

/** Calls `stop` once on Ctrl-C or SIGTERM; returns the function that stops listening. */
export function onInterrupt(stop: () => void): () => void {
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}
