import type { Command } from 'commander';
import { PAPER_DATASETS } from '../../../shared/datasets';
import { call, EXIT, on, onInterrupt, printId, userPath } from '../context';
import { createDatasetDownloadReporter } from '../progress';

interface ImportOptions {
  lang: string;
  name?: string;
  idField?: string;
  instructionField?: string;
  delimiter?: string;
  parallelWith?: string;
}

/** The options "datasets import" and "datasets download" share (the same checks, the same mapping). */
function withImportOptions(command: Command, defaultName: string): Command {
  return command
    .requiredOption('--lang <code>', 'ISO 639-1 language of the instructions, e.g. en, fr, es')
    .option('--name <name>', `dataset name (default: ${defaultName})`)
    .option('--id-field <field>', 'source field holding the item id (default: id, else the row index)')
    .option('--instruction-field <field>', 'source field holding the instruction (default: instruction)')
    .option('--delimiter <char>', 'CSV delimiter (default: ,)')
    .option('--parallel-with <dataset>', 'link to a dataset in another language: items with the same id are parallel');
}

export function registerDatasets(program: Command): void {
  const datasets = program.command('datasets').description('instruction datasets');
  withImportOptions(
    datasets
      .command('import <file>')
      .description('import a JSONL, JSON (array) or CSV dataset, all or nothing; prints the dataset id last'),
    'the file name',
  ).action(async (file: string, o: ImportOptions) => {
    const d = await call('datasets.import', { path: userPath(file), ...o });
    console.log(`imported ${d.itemCount} items as "${d.name}" (${d.lang}, ${d.format})${d.parallelGroup ? ` · parallel group ${d.parallelGroup}` : ''}`);
    printId(d.id);
  });
  withImportOptions(
    datasets
      .command('download <uri>')
      .description(
        'download a dataset file (hf:<owner>/<dataset>[/<file>] from Hugging Face, main revision, or an http(s) URL) and import it ' +
          'like "datasets import"; HF_TOKEN for gated datasets; the paper\'s: ' +
          PAPER_DATASETS.map((d) => `${d.uri} (${d.lang})`).join(', ') +
          '; prints the dataset id last',
      ),
    'the dataset repository, or the file name of a URL',
  ).action(async (uri: string, o: ImportOptions) => {
    const stopProgress = on('datasetDownload.progress', createDatasetDownloadReporter());
    let interrupted = false;
    const stopListening = onInterrupt(() => {
      interrupted = true;
      void call('datasets.cancelDownload', { uri });
    });
    try {
      const d = await call('datasets.download', { uri, ...o });
      console.log(`imported ${d.itemCount} items as "${d.name}" (${d.lang}, ${d.format}) from ${uri}${d.parallelGroup ? ` · parallel group ${d.parallelGroup}` : ''}`);
      printId(d.id);
    } catch (err) {
      if (!interrupted) throw err;
      console.error(`download of ${uri} cancelled: nothing was imported`);
      process.exitCode = EXIT.interrupted;
    } finally {
      stopListening();
      stopProgress();
    }
  });
  datasets
    .command('list')
    .description('list the datasets')
    .action(async () => {
      for (const d of await call('datasets.list', {}))
        console.log(`${d.id}\t${d.name}\t${d.lang}\t${d.itemCount} items${d.parallelGroup ? `\tparallel: ${d.parallelGroup}` : ''}`);
    });
}
