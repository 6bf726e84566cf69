import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { REPO } from './paths';

const CLI = ['--import', 'tsx', 'src/main/cli.ts'];

/** Runs the real CLI (as `npm run -s cli` does) and returns its exit code and output. */
export function cli(args: string[]): { code: number; stdout: string; stderr: string; lastLine: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  const stdout = r.stdout ?? '';
  const lines = stdout.trim().split('\n');
  return { code: r.status ?? -1, stdout, stderr: r.stderr ?? '', lastLine: lines[lines.length - 1] ?? '' };
}

/**
 * The same, without blocking this process: needed when the test itself serves something the CLI calls (the
 * OpenAI loopback server cannot answer while spawnSync holds the event loop). `env` adds variables.
 */
export function cliAsync(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; lastLine: string }> {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.trim().split('\n');
      resolve({ code: code ?? -1, stdout, stderr, lastLine: lines[lines.length - 1] ?? '' });
    });
  });
}

export function cliBackground(args: string[]): ChildProcess {
  return spawn(process.execPath, [...CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
}
