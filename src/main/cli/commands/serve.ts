import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { APP_ROOT } from '../../paths';
import { isLoopbackHost } from '../../transports/http/hostGuard';
import { startHttpServer } from '../../transports/http/startHttpServer';
import { backendOf, UsageError } from '../context';
import { int } from '../options';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the workbench UI and API to a browser over loopback HTTP (for machines without a display or Electron); prints the URL to open')
    .option('--port <n>', 'port to listen on (default: a free port)', int('--port'))
    .option('--host <host>', 'interface to bind (default: 127.0.0.1; anything else exposes the workbench to the network)', '127.0.0.1')
    .action(async (o: { port?: number; host: string }) => {
      if (o.port !== undefined && (o.port < 0 || o.port > 65_535)) throw new UsageError('--port must be between 0 and 65535.');
      // The same API the CLI's other commands call, served to a browser instead.
      const { api } = backendOf('http');
      const staticDir = join(APP_ROOT, 'out', 'renderer');
      const hasUi = existsSync(join(staticDir, 'index.html'));
      if (!hasUi) console.error(`The workbench UI is not built (no ${staticDir}): run \`npm run build\` first, or start with \`npm run serve\`. Serving the API only.`);
      if (!isLoopbackHost(o.host)) {
        console.error(`warning: serving on ${o.host}: anyone on the network who has the token can reach the workbench (its data, and running models on this machine). Traffic is plain HTTP.`);
      }
      // The token is the only secret between the browser tab and the store: new for every start.
      const token = randomBytes(24).toString('base64url');
      const server = await startHttpServer({ api, host: o.host, port: o.port ?? 0, token, staticDir: hasUi ? staticDir : undefined });
      // The URL alone on its own stdout line: scripts and tests read it (README "CLI contract").
      console.log(`${server.url}?token=${token}`);
      console.error('Open that URL in a browser. Ctrl-C stops serving (running work is paused and can be resumed).');
      await new Promise<void>((resolveStop) => {
        process.once('SIGINT', () => resolveStop());
        process.once('SIGTERM', () => resolveStop());
      });
      console.error('stopping: pausing running work…');
      await api.shutdown();
      await server.close();
      // Everything is stored and paused by now. A download whose server went mute mid-file can leave a request of
      // node-llama-cpp's downloader pending for Node's 300 s header timeout: it must not keep a stopped server alive.
      setTimeout(() => process.exit(), 2000).unref();
    });
}
