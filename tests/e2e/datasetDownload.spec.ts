import { readFileSync } from 'node:fs';
import { PAPER_DATASETS } from '../../src/shared/datasets';
import { startLoopbackFileServer, type LoopbackFileServer } from '../support/loopbackFileServer';
import { JUST_EVAL_EN } from '../support/paths';
import { expect, startServe, stopServe, test, type Served } from './serveFixture';

const EN = readFileSync(JUST_EVAL_EN);
const resolvePath = (uri: string) => {
  const [owner, dataset, ...file] = uri.replace(/^hf:/, '').split('/');
  return `/datasets/${owner}/${dataset}/resolve/main/${file.join('/')}`;
};

let hub: LoopbackFileServer;
let served: Served;

test.beforeAll(async () => {
  // A loopback server stands in for Hugging Face (tests never reach the Hub); serve finds it through ALIGN_HF_ENDPOINT.
  hub = await startLoopbackFileServer({
    ...Object.fromEntries(PAPER_DATASETS.map((d) => [resolvePath(d.uri), { kind: 'file' as const, body: EN, sliceBytes: 32 * 1024, delayMs: 30 }])),
    '/datasets/someone/card/resolve/main/data.jsonl': { kind: 'html', body: '<!doctype html><html><body>Dataset card</body></html>' },
  });
  process.env.ALIGN_HF_ENDPOINT = hub.url('');
  served = await startServe();
});
test.afterAll(async () => {
  await stopServe(served);
  delete process.env.ALIGN_HF_ENDPOINT;
  await hub.close();
});

test('downloads the paper datasets with one click each, linked as parallel; a free URI serving HTML is refused', async ({ page }) => {
  await page.goto(`${served.url}#/datasets`);
  await page.getByTestId('paper-en').click();
  await expect(page.getByTestId('download-progress')).toContainText('hf:re-align/just-eval-instruct/test_all_with_tags.jsonl');
  await expect(page.getByTestId('download-done')).toHaveText('Imported “just-eval-instruct-en”: 1,000 items (en).');
  await expect(page.getByTestId('paper-en')).toHaveText('Just-Eval-Instruct (English) ✓');

  await page.getByTestId('paper-fr').click();
  await expect(page.getByTestId('download-done')).toHaveText('Imported “just-eval-instruct-fr”: 1,000 items (fr), linked as parallel.');
  await page.getByTestId('paper-es').click();
  await expect(page.getByTestId('download-done')).toContainText('“just-eval-instruct-es”: 1,000 items (es), linked as parallel.');
  await expect(page.getByRole('region', { name: 'Datasets' })).toContainText('just-eval-instruct-es');

  await page.getByTestId('download-uri').fill('hf:someone/card/data.jsonl');
  await page.getByTestId('download-submit').click();
  await expect(page.getByTestId('download-error')).toContainText('sent an HTML page, not a data file');
});
