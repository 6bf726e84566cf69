import { APP_VERSION } from './app/appVersion';

/** What a run or judge run records about the process that created it (app, Node, platform). */
export function processEnvironment(): Record<string, string> {
  return { app: APP_VERSION, node: process.version, platform: `${process.platform}-${process.arch}` };
}
