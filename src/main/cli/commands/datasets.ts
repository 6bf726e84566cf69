import type { Command } from 'commander';
import { call, printId, userPath } from '../context';

export function registerDatasets(program: Command): void {
  const datasets = program.command('datasets').description('instruction datasets');
  datasets
    .command('import <file>')
    .description('import a JSONL, JSON (array) or CSV dataset, all or nothing; prints the dataset id last')
    .requiredOption('--lang <code>', 'ISO 639-1 language of the instructions, e.g. en, fr, es')
    .option('--name <name>', 'dataset name (default: the file name)')
    .option('--id-field <field>', 'source field holding the item id (default: id, else the row index)')
    .option('--instruction-field <field>', 'source field holding the instruction (default: instruction)')
    .option('--delimiter <char>', 'CSV delimiter (default: ,)')
    .option('--parallel-with <dataset>', 'link to a dataset in another language: items with the same id are parallel')
    .action(async (file: string, o: { lang: string; name?: string; idField?: string; instructionField?: string; delimiter?: string; parallelWith?: string }) => {
      const d = await call('datasets.import', { path: userPath(file), ...o });
      console.log(`imported ${d.itemCount} items as "${d.name}" (${d.lang}, ${d.format})${d.parallelGroup ? ` · parallel group ${d.parallelGroup}` : ''}`);
      printId(d.id);
    });
  datasets
    .command('list')
    .description('list the datasets')
    .action(async () => {
      for (const d of await call('datasets.list', {}))
        console.log(`${d.id}\t${d.name}\t${d.lang}\t${d.itemCount} items${d.parallelGroup ? `\tparallel: ${d.parallelGroup}` : ''}`);
    });
}
