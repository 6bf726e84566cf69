import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { StudyReport } from '../../../shared/annotations';
import { call, userPath, writeOrPrint } from '../context';
import { int, list, num, runIdOf } from '../options';

/** Time spent as a person reads it: seconds under a minute, minutes under an hour, then hours and minutes. */
function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * A study as its owner reads it after a merge: per annotator coverage, time and disagreements, then the
 * agreement per label on the overlap (kappa over the people, not the adjudication).
 */
async function printStudy(report: StudyReport): Promise<void> {
  console.log(`study "${report.studyName}" (${report.studyId}) · runs ${report.runIds.join(',')}`);
  console.log('annotator\tannotated/assigned\tcoverage\ttime\tdisagreements\tlast export');
  for (const a of report.annotators)
    console.log([a.name, `${a.annotated}/${a.assigned}`, percent(a.coverage), formatDuration(a.activeSeconds), a.disagreements, a.lastExport ?? 'never'].join('\t'));
  console.log(`overlap: ${report.compared} compared · ${report.disagreements} disagreements · ${report.resolved} resolved`);
  const people = report.annotators.map((a) => a.name);
  if (people.length < 2) return;
  const agreement = await call('annotations.agreement', { runIds: report.runIds, annotators: people });
  if (agreement.items === 0) return void console.log('agreement: no output annotated by every annotator yet');
  console.log(`agreement on ${agreement.items} outputs annotated by ${agreement.annotators.join(', ')}:`);
  for (const l of agreement.labels) console.log(`  ${l.label}\t${l.statistic ?? '-'} kappa ${l.kappa === null ? 'n/a' : l.kappa.toFixed(3)}\t(n ${l.n})`);
}

function readGuidelines(file: string): string {
  try {
    return readFileSync(userPath(file), 'utf8');
  } catch (e) {
    throw new Error(`--guidelines ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
}

export function registerAnnotations(program: Command): void {
  const annotations = program.command('annotations').description('human critical-error annotations, and studies across machines');
  annotations
    .command('export')
    .description('export a run\'s current annotations, one row per generation × annotator')
    .requiredOption('--run <id>', 'run id', int('--run'))
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: { run: number; format: 'jsonl' | 'csv'; out?: string }) => {
      writeOrPrint((await call('annotations.export', { runId: o.run, format: o.format })).text, o.out);
    });

  // OWNER: package out, merge back, read the study.
  annotations
    .command('package')
    .description('hand a study out: one <study>-<annotator>.alignpkg per annotator in --out-dir; prints each file path, one per line')
    .requiredOption('--runs <ids>', 'comma-separated run ids: the study is every output of these runs', list)
    .requiredOption('--annotators <names>', 'comma-separated annotator names', list)
    .option('--overlap <percent>', 'share of outputs every annotator gets (for agreement), 0–100', num('--overlap'), 20)
    .option('--seed <n>', 'seed of the assignment (same seed, same split)', int('--seed'), 1)
    .requiredOption('--out-dir <dir>', 'folder for the package files')
    .option('--study <name>', 'study name (default: runs-<ids>)')
    .option('--blind', 'hide the detectors\' suggestions and the model and method names')
    .option('--guidelines <file>', 'a text file of guidelines for the annotators')
    .action(async (o: { runs: string[]; annotators: string[]; overlap: number; seed: number; outDir: string; study?: string; blind?: boolean; guidelines?: string }) => {
      const runIds = o.runs.map(runIdOf);
      const made = await call('annotationPackages.create', {
        studyName: o.study ?? `runs-${runIds.join('-')}`,
        selection: { runIds },
        annotators: o.annotators,
        overlapPercent: o.overlap,
        seed: o.seed,
        blind: o.blind,
        guidelines: o.guidelines === undefined ? undefined : readGuidelines(o.guidelines),
        outDir: userPath(o.outDir),
      });
      // stdout is the files alone (for scripts); what they hold goes to stderr.
      console.error(`study "${made.studyName}" (${made.studyId}): ${made.items} outputs, ${made.overlapItems} for every annotator`);
      for (const f of made.files) console.error(`  ${f.annotator}: ${f.items} outputs`);
      for (const f of made.files) process.stdout.write(`${f.path}\n`);
    });
  annotations
    .command('merge <files...>')
    .description('merge returned .alignann files into the study (all or nothing); prints coverage, time and disagreements per annotator')
    .action(async (files: string[]) => {
      const merged = await call('annotationPackages.merge', { files: files.map(userPath) });
      for (const f of merged.files) console.error(`merged ${f.file}: ${f.annotator}, ${f.written} new or changed, ${f.unchanged} unchanged`);
      await printStudy(await call('annotationPackages.report', { studyId: merged.studyId }));
    });
  annotations
    .command('studies')
    .description('the studies handed out from this data folder: id, name, annotators, overlap')
    .action(async () => {
      for (const s of await call('annotationPackages.studies', {}))
        console.log([s.id, s.name, s.annotators.join(','), `overlap ${Math.round(s.overlap * 100)}%`, `seed ${s.seed}`, s.blind ? 'blind' : 'open', s.createdAt].join('\t'));
    });
  annotations
    .command('report')
    .description('a study\'s coverage, time spent and disagreements per annotator, and kappa per label on the overlap')
    .requiredOption('--study <id>', 'study id (see "annotations studies")')
    .action(async (o: { study: string }) => {
      await printStudy(await call('annotationPackages.report', { studyId: o.study }));
    });

  // ANNOTATOR: open a package, export the work back.
  annotations
    .command('open <package>')
    .description('open a .alignpkg into this data folder (no model or runs needed); prints the package id last')
    .action(async (file: string) => {
      const p = await call('annotationPackages.open', { path: userPath(file) });
      console.log(`study "${p.studyName}" for ${p.annotator}: ${p.progress.done}/${p.progress.total} annotated${p.blind ? ' · blind' : ''} · runs ${p.runIds.join(',')}`);
      process.stdout.write(`${p.packageId}\n`);
    });
  annotations
    .command('packages')
    .description('the packages opened in this data folder: id, study, annotator, progress')
    .action(async () => {
      for (const p of await call('annotationPackages.list', {}))
        console.log([p.packageId, p.studyName, p.annotator, `${p.progress.done}/${p.progress.total}`].join('\t'));
    });
  annotations
    .command('export-package')
    .description('write an opened package\'s annotations, times and notes to a .alignann file for the study\'s owner')
    .requiredOption('--package <id>', 'package id (printed by "annotations open")')
    .requiredOption('--out <file>', 'the .alignann file to write')
    .action(async (o: { package: string; out: string }) => {
      const r = await call('annotationPackages.export', { packageId: o.package, out: userPath(o.out) });
      console.log(`wrote ${r.annotations} of ${r.items} annotations (${formatDuration(r.activeSeconds)} of work) to ${r.path}`);
    });
}
