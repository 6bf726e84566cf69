/**
 * Headless CLI, a client of the same API as the desktop app and serve mode: the way to run studies on a GPU server
 * or from scripts. The invocations documented in README.md ("CLI contract") are used by outside scripts: keep them.
 *
 * Exit codes: 0 ok · 1 failed (bad input, failed run) · 2 usage error · 130 interrupted (run paused, resumable).
 */
import { Command, CommanderError } from 'commander';
import { CallError, closeBackend, EXIT, UsageError, useDataDirOption } from './context';
import { registerAnnotations } from './commands/annotations';
import { registerDatasets } from './commands/datasets';
import { registerDemo } from './commands/demo';
import { registerGenerations } from './commands/generations';
import { registerJudgements } from './commands/judgements';
import { registerJudging } from './commands/judging';
import { registerModels } from './commands/models';
import { registerReference } from './commands/reference';
import { registerResults } from './commands/results';
import { registerRuns } from './commands/runs';
import { registerServe } from './commands/serve';

export async function runCli(argv: string[]): Promise<void> {
  const program = new Command('align')
    .description('Align Workbench: evaluate how small language models follow instructions (zero-shot, URIAL, chat).')
    .option('--data-dir <dir>', 'where the SQLite store and app data live (env ALIGN_DATA_DIR)')
    .showHelpAfterError()
    .exitOverride();
  useDataDirOption(() => program.opts<{ dataDir?: string }>().dataDir);
  for (const register of [registerModels, registerDatasets, registerRuns, registerGenerations, registerAnnotations, registerJudging, registerJudgements, registerResults, registerReference, registerServe, registerDemo])
    register(program);

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; commander already printed usage problems.
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else {
      // A request the API found invalid is a usage error too (a value out of range, a malformed code…).
      const usage = err instanceof UsageError || (err instanceof CallError && err.code === 'invalid_request');
      console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = usage ? EXIT.usage : EXIT.failed;
    }
  } finally {
    await closeBackend();
  }
}
