import { describe, expect, it } from 'vitest';
import { cleanOutput } from '../../../src/main/core/prompting/cleanOutput';

describe('cleanOutput', () => {
  it('urial: deletes every triple backtick, then trims', () => {
    expect(cleanOutput('Sure!\n\n```python\nprint(1)\n```\nDone.\n```\n', 'urial')).toBe('Sure!\n\npython\nprint(1)\n\nDone.');
  });

  it('urial: leaves single and double backticks alone', () => {
    expect(cleanOutput(' use `x` or ``y`` ', 'urial')).toBe('use `x` or ``y``');
  });

  it('none: returns the raw text unchanged', () => {
    const raw = '  ```\nkept as written\n';
    expect(cleanOutput(raw, 'none')).toBe(raw);
  });
});
