// Types for the tests (the script itself is plain ESM run by node).
export declare const ELECTRON_HEADERS_URL: string;
export declare function electronDownloadBase(env?: NodeJS.ProcessEnv): string;
export declare function probeServer(url: string, timeoutMs?: number): Promise<string | null>;
export type StartChoice = { mode: 'desktop' } | { mode: 'browser'; reason: string };
export declare function chooseStartMode(steps: {
  hasElectron(): boolean;
  probe(url: string): Promise<string | null>;
  downloadElectron(): boolean;
  hasSqlite(): boolean;
  buildSqlite(): boolean;
  env?: NodeJS.ProcessEnv;
}): Promise<StartChoice>;
