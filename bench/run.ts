/**
 * Performance benchmarks of the run path on stories260K (see bench/README.md).
 *
 *   npx tsx bench/run.ts [--items N] [--max-tokens N] [--threads N] [--only P1,P2,P3,P4,P4D,P4R,P5,P5A,P5V,P6]
 *                        [--naive-items N] [--reps N] [--parallel N] [--context-size N]
 *
 * Every figure is a ratio against a baseline measured in the same process, same model, same items, greedy.
 * Exit code: 0 when every selected benchmark passes, 1 otherwise, 2 on a usage error.
 */
import { existsSync } from 'node:fs';
import { DATASET_PATH, f, MODEL_PATH, URIAL_FILE, type BenchOptions, type BenchResult } from './common';
import { runP1 } from './p1QueueOverhead';
import { runP2 } from './p2PrefixReuse';
import { runP3 } from './p3Parallel';
import { runP4 } from './p4EarlyStop';
import { runP4Detectors } from './p4Detectors';
import { runP4Real } from './p4Real';
import { runP5Aggregates } from './p5Aggregates';
import { runP5 } from './p5ReaderQueries';
import { runP5ViewSwitches } from './p5ViewSwitches';
import { runP6 } from './p6JudgeGrammar';

const BENCHES = { P1: runP1, P2: runP2, P3: runP3, P4: runP4, P4D: runP4Detectors, P4R: runP4Real, P5: runP5, P5A: runP5Aggregates, P5V: runP5ViewSwitches, P6: runP6 } as const;
type BenchId = keyof typeof BENCHES;

class UsageError extends Error {}

function parseArgs(argv: string[]): { options: BenchOptions; only: BenchId[] } {
  const options: BenchOptions = {
    items: 20,
    maxTokens: 32,
    threads: 1,
    naiveItems: 5,
    reps: 7,
    urialContextSize: 4096,
    parallel: 4,
  };
  let only: BenchId[] = ['P1', 'P2', 'P3', 'P4', 'P4D', 'P4R', 'P5', 'P5A', 'P5V', 'P6'];
  const ints: Record<string, keyof BenchOptions> = {
    '--items': 'items',
    '--max-tokens': 'maxTokens',
    '--threads': 'threads',
    '--naive-items': 'naiveItems',
    '--reps': 'reps',
    '--context-size': 'urialContextSize',
    '--parallel': 'parallel',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: npx tsx bench/run.ts [--items N=20] [--max-tokens N=32] [--threads N=1] [--only P1,P2,P3,P4,P4D,P4R,P5,P5A,P5V,P6]\n' +
          '                            [--naive-items N=5] [--reps N=7] [--parallel N=4] [--context-size N=4096]',
      );
      process.exit(0);
    } else if (flag === '--only') {
      const ids = value().split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
      for (const id of ids) if (!(id in BENCHES)) throw new UsageError(`unknown benchmark "${id}" (known: ${Object.keys(BENCHES).join(', ')})`);
      only = ids as BenchId[];
    } else if (flag in ints) {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} must be a positive integer, got "${v}"`);
      options[ints[flag]!] = Number(v);
    } else {
      throw new UsageError(`unknown option "${arg}"`);
    }
  }
  return { options, only };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`bench: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const { options, only } = parsed;
  // P4D/P4R read their own labelled files and P5/P5A/P5V build their own synthetic stores: none needs a model or dataset file.
  for (const file of only.some((id) => !['P4D', 'P4R', 'P5', 'P5A', 'P5V'].includes(id)) ? [MODEL_PATH, DATASET_PATH, URIAL_FILE] : [])
    if (!existsSync(file)) {
      console.error(`bench: missing test asset ${file} (expected in ../shared)`);
      return 1;
    }
  console.log(
    `Align Workbench benchmarks · stories260K · items ${options.items} · max tokens ${options.maxTokens} · threads ${options.threads} · ` +
      `node ${process.version}\n`,
  );

  const results: BenchResult[] = [];
  const times: number[] = [];
  for (const id of only) {
    const started = performance.now();
    try {
      // P5A reports two figures (filtered, unfiltered): one row each.
      const result: BenchResult | BenchResult[] = await BENCHES[id](options);
      results.push(...(Array.isArray(result) ? result : [result]));
    } catch (err) {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      console.log(`${id} CRASHED: ${message}`);
      results.push({ id, metric: '(crashed)', value: Number.NaN, shown: '-', target: '-', pass: false, context: message.split('\n')[0]!, problems: [message] });
    }
    // The time goes on the benchmark's first row, 0 on its further ones.
    const first = times.length;
    while (times.length < results.length) times.push(0);
    times[first] = performance.now() - started;
    console.log(`${id} took ${f(times[first]! / 1000, 1)} s\n`);
  }

  const rows = results.map((r, i) => [r.id, r.metric, r.shown, r.target, r.pass ? 'PASS' : 'FAIL', `${f(times[i]! / 1000, 0)} s`, r.context]);
  const header = ['bench', 'figure', 'value', 'target', 'result', 'time', 'absolute numbers'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  console.log('Summary');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
  return results.every((r) => r.pass) ? 0 : 1;
}

process.exitCode = await main();
