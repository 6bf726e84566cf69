import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { MethodName } from '../../../shared/domain';
import { APP_ROOT } from '../../paths';
import { call, EXIT, UsageError, userPath } from '../context';
import { int } from '../options';
import { runInForeground } from './runs';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the whole loop on the built-in EN/FR/ES sample: zero-shot and URIAL runs, then one item side by side')
    .option('--model <file>', 'a GGUF base model (default: ../shared/models/stories260K.gguf when present)')
    .option('--max-tokens <n>', 'new tokens per item', int('--max-tokens'), 64)
    .action(async (o: { model?: string; maxTokens: number }) => {
      const modelPath = o.model ? userPath(o.model) : join(APP_ROOT, '..', 'shared', 'models', 'stories260K.gguf');
      if (!existsSync(modelPath)) throw new UsageError(`No model at ${modelPath}. Pass one: npm run demo -- --model <file.gguf>`);
      const model = await call('models.resolve', { ref: modelPath });
      const samples = await call('datasets.ensureSamples', {});
      const info = await call('app.info', {});
      const englishUrial = info.urialPromptLangs.includes('en');
      const methods: MethodName[] = englishUrial ? ['zero-shot', 'urial'] : ['zero-shot'];
      if (!englishUrial) console.log('(URIAL skipped for English: set ALIGN_URIAL_DIR to the official URIAL prompt folder)');
      const created = [];
      for (const dataset of samples)
        for (const method of methods)
          // The first 12 items (10 regular, 2 safety) keep the demo under a minute on the tiny model.
          created.push(...(await call('runs.create', { models: [String(model.id)], methods: [method], datasets: [dataset.name], subset: { limit: 12 }, sampler: { maxTokens: o.maxTokens } })));
      for (const run of created) {
        const code = await runInForeground(run.id);
        if (code !== EXIT.ok) return void (process.exitCode = code);
      }
      console.log('\nItem 1 side by side:');
      for (const run of created) {
        const rows = (await call('generations.export', { runId: run.id, format: 'jsonl' })).text.trim().split('\n');
        const row = rows.map((line) => JSON.parse(line) as { item_id: string; instruction: string; output: string }).find((r) => r.item_id === '1');
        console.log(`\n[${run.name}]\n> ${row?.instruction}\n${(row?.output ?? '').slice(0, 300)}`);
      }
      console.log(`\nExport one: npm run -s cli -- generations export --run ${created[0]!.id} --format csv --out run.csv`);
    });
}
