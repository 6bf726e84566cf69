import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/shared/domain';
import { createUrialMethod, urialZeroMethod } from '../../../src/main/core/prompting/urial';
import { JUST_EVAL_EN } from '../../support/paths';
import { OFFICIAL_DIR, RESOURCES_DIR } from './fixtures';

/**
 * Independent fixture generator: the prompt the URIAL reference code (Re-Align/URIAL, `apply_template` with the
 * conversation templates of `fastchat_conversation.py`) builds, written from its rules rather than from our code:
 * - the file is read whole, as is, and becomes the system message;
 * - the template is chosen by the file name: "inst_help_v5" → urial_v5, "inst_help_v6" → urial_v6, else
 *   urial_backticks;
 * - URIAL style: system + for each (role, message): "\n" + role + "\n" + sep + "\n" + message + "\n" + sep2 +
 *   "\n", and for the open assistant turn "\n" + role + "\n" + sep ("```" for backticks, "" for v5) + "\n";
 * - URIAL_V6 style: system + for each: "\n\n" + role + "\n" + message.strip("\n") + "\n", open turn "\n\n" +
 *   role + "\n".
 */
function referencePrompt(fileName: string, fileText: string, instruction: string): string {
  const urialStyle = (roles: [string, string], sep: string): string =>
    fileText + `\n${roles[0]}\n${sep}\n${instruction}\n${sep}\n` + `\n${roles[1]}\n${sep}\n`;
  if (fileName.includes('inst_help_v5')) return urialStyle(['# User:', '# Assistant:'], '');
  if (fileName.includes('inst_help_v6')) {
    const stripped = instruction.replace(/^\n+/, '').replace(/\n+$/, '');
    return fileText + `\n\n# User:\n${stripped}\n` + `\n\n# Assistant:\n`;
  }
  return urialStyle(['# Query:', '# Answer:'], '```');
}

const items: Item[] = readFileSync(JUST_EVAL_EN, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const row = JSON.parse(line) as { id: number | string; instruction: string };
    return { id: String(row.id), instruction: row.instruction, metadata: {} };
  });
const officialFiles = readdirSync(OFFICIAL_DIR).filter((f) => f.startsWith('inst_') && f.endsWith('.txt')).sort();

describe('URIAL prompts against the reference algorithm', () => {
  it('covers the 1000 Just-Eval items and the 10 official files', () => {
    expect(items).toHaveLength(1000);
    expect(officialFiles).toHaveLength(10);
  });

  const urial = createUrialMethod({ officialDir: OFFICIAL_DIR, resourcesDir: RESOURCES_DIR });
  it.each(officialFiles)('%s: every item equals the reference prompt', (file) => {
    const path = join(OFFICIAL_DIR, file);
    const fileText = readFileSync(path, 'utf8');
    const prepared = urial.prepare({ method: 'urial', promptFile: path });
    const differing = items.filter((item) => {
      const spec = prepared.build(item);
      return spec.kind !== 'completion' || spec.text !== referencePrompt(file, fileText, item.instruction);
    });
    expect(differing.map((i) => i.id)).toEqual([]);
    const spec = prepared.build(items[0]!);
    expect(spec.stop).toEqual(['# Query', '# User']);
    if (spec.kind === 'completion') expect(spec.text.startsWith(spec.prefix)).toBe(true);
  });

  it('urial-zero is the reference template with an empty system message, on every item', () => {
    const prepared = urialZeroMethod.prepare({ method: 'urial-zero' });
    const differing = items.filter((item) => {
      const spec = prepared.build(item);
      return spec.kind !== 'completion' || spec.text !== referencePrompt('zero', '', item.instruction);
    });
    expect(differing.map((i) => i.id)).toEqual([]);
    expect(prepared.build(items[0]!)).toMatchObject({ prefix: '\n# Query:\n```\n', clean: 'urial', stop: ['# Query', '# User'] });
    expect(prepared.describe()).toEqual({ promptTemplate: 'urial-backticks', examples: '0' });
  });

  it('names the reference template it used', () => {
    const describe = (file: string) => urial.prepare({ method: 'urial', promptFile: join(OFFICIAL_DIR, file) }).describe();
    expect(describe('inst_help_v6-1k.txt').promptTemplate).toBe('urial-v6');
    expect(describe('inst_1k.txt').promptTemplate).toBe('urial-backticks');
  });
});
