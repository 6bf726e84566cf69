import { Option, type Command } from 'commander';
import { GENERATIONS_EXPORT_FORMATS, type GenerationsExportFormat } from '../../../shared/generations';
import { call, printId, userPath, writeOrPrint } from '../context';
import { int } from '../options';

export function registerGenerations(program: Command): void {
  const generations = program.command('generations').description('outputs of runs');
  generations
    .command('import <file>')
    .description('import outputs made elsewhere (Just-Eval format: id, instruction, output, generator, …) as a run; prints the run id last')
    .requiredOption('--lang <code>', 'language of the instructions')
    .option('--name <name>', 'run name (default: the file name)')
    .option('--dataset <name|id>', "join each output to this dataset's item of the same id (category, task types, difficulty); an unknown id or another instruction is refused")
    .action(async (file: string, o: { lang: string; name?: string; dataset?: string }) => {
      const run = await call('generations.import', { path: userPath(file), lang: o.lang, name: o.name, dataset: o.dataset });
      console.log(`imported ${run.total} generations as run "${run.name}"`);
      printId(run.id);
    });
  generations
    .command('export')
    .description('export a run\'s generations with how each was made, or as just-eval\'s to_eval.json (--format just-eval) for its scorer')
    .requiredOption('--run <id>', 'run id', int('--run'))
    .addOption(new Option('--format <format>', 'output format').choices([...GENERATIONS_EXPORT_FORMATS]).default('jsonl'))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: { run: number; format: GenerationsExportFormat; out?: string }) => {
      writeOrPrint((await call('generations.export', { runId: o.run, format: o.format })).text, o.out);
    });

  program
    .command('detect')
    .description('run the critical-error detectors (loop, code, language) on a run\'s generations; prints the findings count last')
    .requiredOption('--run <id>', 'run id', int('--run'))
    .option('--all', 're-run on every generation, not only those without results from the current detector versions')
    .action(async (o: { run: number; all?: boolean }) => {
      const { generations: checked, findings, byLabel } = await call('detection.run', { runId: o.run, all: o.all });
      console.log(`checked ${checked} generations · ${Object.entries(byLabel).map(([l, n]) => `${l} ${n}`).join(', ') || 'no findings'}`);
      printId(findings);
    });
}
