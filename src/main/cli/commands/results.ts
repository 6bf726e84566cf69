import { Option, type Command } from 'commander';
import { RESULTS_GROUP_KEYS, type ResultsFilter, type ResultsGroupKey, type TableFormat } from '../../../shared/results';
import { NA_POLICIES, type NaPolicy } from '../../../shared/judging';
import { formatRunRates, type RateSource } from '../../../shared/rates';
import { call, CallError, printId, UsageError, writeOrPrint } from '../context';
import { list, runIdOf } from '../options';

const NA_CHOICES: NaPolicy[] = [...NA_POLICIES];

/** The run ids of --runs, each checked to exist (a typo must not silently shrink the table). */
async function existingRuns(ids: string[]): Promise<number[]> {
  const runIds = ids.map(runIdOf);
  for (const runId of runIds) {
    await call('runs.get', { runId }).catch((err: unknown) => {
      throw err instanceof CallError && err.code === 'not_found' ? new UsageError(`No run with id ${runId}. List them with "runs list".`) : err;
    });
  }
  return runIds;
}

export function registerResults(program: Command): void {
  program
    .command('results')
    .description('the aggregate table of judge scores (mean ± 95% bootstrap CI per group × aspect, N/A counts, judges and rubric in the footnote)')
    .requiredOption('--runs <id,id…>', 'generation run ids', list)
    .addOption(new Option('--format <format>', 'table format').choices(['csv', 'md', 'latex']).makeOptionMandatory())
    .option('--group-by <keys>', `rows: comma-separated ${RESULTS_GROUP_KEYS.join(', ')} (default: language,method,model)`, list)
    .addOption(new Option('--na <policy>', 'N/A judgements: leave out, or count as 5 (the reference code\'s convention; the table says so)').choices(NA_CHOICES).default('exclude'))
    .option('--judge <identity>', 'only this judge\'s scores (identity as in "judges list"; without it, several judges become rows, never one mean)')
    .option('--rubric <version>', 'only this rubric version (e.g. just-eval-aspects@1; without it, several versions become rows)')
    .option('--judge-lang <lang>', 'only scores judged with a prompt in this language (without it, several judge languages become rows)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: { runs: string[]; format: TableFormat; groupBy?: string[]; na: NaPolicy; judge?: string; rubric?: string; judgeLang?: string; out?: string }) => {
      const groupBy = (o.groupBy ?? ['language', 'method', 'model']) as ResultsGroupKey[];
      for (const key of groupBy)
        if (!(RESULTS_GROUP_KEYS as readonly string[]).includes(key)) throw new UsageError(`--group-by: unknown key "${key}" (known: ${RESULTS_GROUP_KEYS.join(', ')}).`);
      const filter: ResultsFilter = {
        runIds: await existingRuns(o.runs),
        naPolicy: o.na,
        ...(o.judge !== undefined ? { judge: o.judge } : {}),
        ...(o.rubric !== undefined ? { rubricVersion: o.rubric } : {}),
        ...(o.judgeLang !== undefined ? { judgeLang: o.judgeLang } : {}),
      };
      const { text } = await call('results.table', { filter, groupBy, format: o.format });
      writeOrPrint(text, o.out);
    });

  program
    .command('rates')
    .description('per run × language: the Language Confusion Benchmark LPR and each critical-error label\'s rate, with Wilson 95% intervals; with --out, prints the row count last')
    .requiredOption('--runs <id,id…>', 'generation run ids', list)
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).makeOptionMandatory())
    .addOption(new Option('--source <source>', 'labels from the detectors\' findings, or the annotators\' majority').choices(['detector', 'human']).default('detector'))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: { runs: string[]; format: 'json' | 'csv'; source: RateSource; out?: string }) => {
      const rows = await call('results.rates', { runIds: await existingRuns(o.runs), source: o.source });
      writeOrPrint(formatRunRates(rows, o.format), o.out);
      if (o.out) printId(rows.length);
    });

  program
    .command('export-dpo')
    .description('DPO preference pairs (TRL DPOTrainer JSONL: prompt, chosen, rejected + metadata) per item and language across the runs; prints the pair count last')
    .requiredOption('--runs <id,id…>', 'generation run ids', list)
    .requiredOption('--out <file>', 'JSONL file to write')
    .addOption(new Option('--na <policy>', 'N/A judgements in the mean aspect score: leave out, or count as 5').choices(NA_CHOICES).default('exclude'))
    .action(async (o: { runs: string[]; out: string; na: NaPolicy }) => {
      const { text, count } = await call('results.dpoPairs', { filter: { runIds: await existingRuns(o.runs), naPolicy: o.na } });
      writeOrPrint(text, o.out);
      printId(count);
    });
}
