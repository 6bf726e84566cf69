import type { Command } from 'commander';
import type { ReferenceStatus } from '../../../shared/reference';
import { call, EXIT, on } from '../context';

/** One line per file: state, local name, where it was found (or the URL it is fetched from). */
function printStatus(status: ReferenceStatus): void {
  for (const f of status.files) console.log(`${f.state.padEnd(8)}  ${f.local}  ${f.path ?? f.url}`);
  console.log(`searched: ${status.roots.join(', ')}`);
  console.log(`English URIAL prompt folder: ${status.urialDir ?? 'none verified (run "align reference fetch")'}`);
}

export function registerReference(program: Command): void {
  const reference = program
    .command('reference')
    .description(
      'the official files (URIAL prompts, Just-Eval judge templates), never shipped: looked for in the reference-folder setting, ' +
        'ALIGN_REFERENCE_DIR, then <data dir>/reference',
    );
  reference
    .command('status')
    .description('the state of each file: verified (sha256 as pinned), modified, found (with --quick, not hashed) or missing')
    .option('--quick', 'do not hash the files')
    .action(async (o: { quick?: boolean }) => {
      const status = await call('reference.status', { verify: !o.quick });
      printStatus(status);
      // Missing or modified files are a finding, not a failure of the command: scripts read the states.
    });
  reference
    .command('fetch')
    .description('download the missing or modified files from their pinned GitHub commits into <data dir>/reference, each checked against its sha256')
    .action(async () => {
      const stop = on('reference.progress', (p) =>
        console.error(`[${p.index + 1}/${p.total}] ${p.outcome.padEnd(16)} ${p.local}${p.error ? `: ${p.error}` : ''}`),
      );
      const result = await call('reference.fetch', {});
      stop();
      printStatus(result.status);
      if (result.failed > 0) {
        console.error(`${result.failed} file(s) could not be fetched; nothing already verified was replaced. Check the network and retry.`);
        process.exitCode = EXIT.failed;
      }
    });
}
