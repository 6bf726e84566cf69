import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { REPO, STORIES, STORIES_CHATML, URIAL_DIR } from '../support/paths';

/** The run flags of issue 12 through the real CLI: prompt-language mismatch, chat date, system fold, preset. */
describe('runs create: prompt language, chat and preset flags', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-runflags-'));
  const g = ['--data-dir', dir];
  const english = join(URIAL_DIR, 'inst_1k_v4.txt');
  const configOf = (runId: string) => {
    const status = cli([...g, 'runs', 'status', runId]);
    return JSON.parse(status.stdout.slice(status.stdout.indexOf('{'), status.stdout.lastIndexOf('}') + 1)) as { config: Record<string, any> };
  };

  beforeAll(() => {
    expect(cli([...g, 'datasets', 'import', join(REPO, 'resources/datasets/sample.fr.jsonl'), '--lang', 'fr', '--name', 'fr']).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an English prompt file on French items (exit 1), allows it with --allow-prompt-lang-mismatch, records --preset', () => {
    const refused = cli([...g, 'runs', 'create', '--model', STORIES, '--method', 'urial', '--dataset', 'fr', '--prompt-file', english]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--allow-prompt-lang-mismatch');
    const r = cli([...g, 'runs', 'create', '--model', STORIES, '--method', 'urial', '--dataset', 'fr', '--prompt-file', english,
      '--allow-prompt-lang-mismatch', '--preset', 'urial-reference', '--limit', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('URIAL (en prompt)');
    const { config } = configOf(r.lastLine);
    expect(config.method.promptLang).toBe('en');
    expect(config.preset).toBe('urial-reference');
    expect(config.sampler).toMatchObject({ repeatPenalty: 1.1, repeatPenaltyWindow: 'all', maxTokens: 4096, loopStop: { enabled: false } });
  });

  it('an explicit sampler flag overrides the preset, which is then not recorded; an unknown preset is a usage error', () => {
    const r = cli([...g, 'runs', 'create', '--model', STORIES, '--method', 'zero-shot', '--dataset', 'fr', '--preset', 'urial-reference', '--max-tokens', '64']);
    expect(r.code, r.stderr).toBe(0);
    const { config } = configOf(r.lastLine);
    expect(config.sampler.maxTokens).toBe(64);
    expect(config.preset).toBeUndefined();
    expect(cli([...g, 'runs', 'create', '--model', STORIES, '--method', 'zero-shot', '--dataset', 'fr', '--preset', 'vllm']).code).toBe(2);
  });

  it('--chat-date and --allow-system-fold reach the chat run', () => {
    const r = cli([...g, 'runs', 'create', '--model', STORIES_CHATML, '--method', 'chat', '--dataset', 'fr', '--chat-date', '2024-07-23', '--allow-system-fold']);
    expect(r.code, r.stderr).toBe(0);
    expect(configOf(r.lastLine).config.method).toMatchObject({ chatDate: '2024-07-23', allowSystemFold: true });
    expect(cli([...g, 'runs', 'create', '--model', STORIES_CHATML, '--method', 'chat', '--dataset', 'fr', '--chat-date', '23/07/2024']).code).toBe(2);
  });
});
