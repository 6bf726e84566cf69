import { Option, type Command } from 'commander';
import { JUDGEMENTS_EXPORT_FORMATS, type JudgementsExportFormat } from '../../../shared/judgeRuns';
import { call, printId, userPath, writeOrPrint } from '../context';
import { int } from '../options';

/** Judge calls in and out of files: just-eval's judge files (import, export) and our JSONL (export). */
export function registerJudgements(program: Command): void {
  const judgements = program.command('judgements').description('judge calls in and out of files (just-eval judge files, JSONL)');
  judgements
    .command('import <file>')
    .description("import a just-eval judge file (score_multi / score_safety: judge \"import:<eval_config.gpt>\", rubric just-eval-original); prints the run id last")
    .option('--run <id>', "attach the verdicts to this run's outputs (matched by item id; a different output text is refused); default: a new run of the file's outputs", int('--run'))
    .option('--lang <code>', 'new run only: language of the instructions (default: en)')
    .option('--name <name>', 'new run only: run name (default: the file name)')
    .action(async (file: string, o: { run?: number; lang?: string; name?: string }) => {
      const r = await call('judgements.import', { path: userPath(file), runId: o.run, lang: o.lang, name: o.name });
      console.log(
        `imported ${r.imported} judge calls (${r.judge} · ${r.rubricVersion})${r.alreadyStored > 0 ? `, ${r.alreadyStored} already stored` : ''} ${r.newRun ? 'as a new run' : 'into run'} ${r.runId}`,
      );
      printId(r.runId);
    });
  judgements
    .command('export')
    .description("export a run's judge calls, one record per call with the exact prompt and raw reply (just-eval: its judge file, one judge and one mode)")
    .requiredOption('--run <id>', 'run id', int('--run'))
    .addOption(new Option('--format <format>', 'output format').choices([...JUDGEMENTS_EXPORT_FORMATS]).makeOptionMandatory())
    .option('--judge <identity>', 'only this judge (identity as in "judges list", e.g. import:gpt-4-0314)')
    .option('--rubric <version>', 'only this rubric version ("just-eval-original": both of its rubrics)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: { run: number; format: JudgementsExportFormat; judge?: string; rubric?: string; out?: string }) => {
      writeOrPrint((await call('judgements.export', { runId: o.run, format: o.format, judge: o.judge, rubricVersion: o.rubric })).text, o.out);
    });
}
