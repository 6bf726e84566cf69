import { describe, expect, it } from 'vitest';
import { exactRepeatedTail, OnlineLoopDetector, ONLINE_LOOP_SETTINGS, type LoopSensitivity } from '../../../src/main/core/inference/onlineLoopDetector';
import { CLEAN, LONG_EN } from './fixtures';

/** A toy tokenizer: each word with its leading space, and each punctuation mark, is one token. */
function tokenizer() {
  const ids = new Map<string, number>();
  return (text: string) => (text.match(/\s*[\p{L}\p{N}']+|\s*[^\s\p{L}\p{N}]/gu) ?? []).map((piece) => {
    if (!ids.has(piece)) ids.set(piece, ids.size);
    return { id: ids.get(piece)!, piece };
  });
}

/** Feeds the text token by token (with the text so far, as LlamaBackend does); the verdict and the tokens fed. */
function feed(text: string, sensitivity: LoopSensitivity = 'medium', tokenize = tokenizer()) {
  const d = new OnlineLoopDetector(sensitivity);
  let soFar = '';
  for (const { id, piece } of tokenize(text)) {
    soFar += piece;
    const v = d.push(id, soFar);
    if (v) return { verdict: v, fed: d.length, text: soFar };
  }
  return { verdict: null, fed: d.length, text: soFar };
}

const INTRO = 'Once upon a time, there was a little girl named Lily. She loved to play outside with her red ball and her dog Max.\n';
const LINE = 'It is not a boy, it is a big brown dog that likes to run.\n';
const PARAGRAPH =
  'The teacher said that the river flows from the mountains to the sea, and every spring the water rises.\n' +
  'The children listened carefully, wrote everything down in their notebooks, and asked many questions about fish.\n';

describe('OnlineLoopDetector', () => {
  const count = (text: string) => tokenizer()(text).length;

  it('stops a repeated line, with the onset at the first copy', () => {
    const { verdict } = feed(INTRO + LINE.repeat(40));
    expect(verdict).not.toBeNull();
    expect(verdict!.kind).toBe('repeat');
    expect(verdict!.unitTokens).toBe(count(LINE));
    expect(Math.abs(verdict!.onset - count(INTRO))).toBeLessThanOrEqual(1);
    expect(verdict!.onsetChar).toBeGreaterThanOrEqual(INTRO.length - 2);
    // Fired within ~minSpan (+ one check interval) of the onset: the stop is early.
    expect(verdict!.at - verdict!.onset).toBeLessThanOrEqual(ONLINE_LOOP_SETTINGS.medium.minSpan + ONLINE_LOOP_SETTINGS.medium.checkEvery + count(LINE));
  });

  it('stops a repeated paragraph (a long unit) after enough copies', () => {
    const { verdict } = feed(INTRO + PARAGRAPH.repeat(12));
    expect(verdict?.kind).toBe('repeat');
    expect(verdict!.unitTokens).toBe(count(PARAGRAPH));
    expect(Math.abs(verdict!.onset - count(INTRO))).toBeLessThanOrEqual(1);
    expect((verdict!.at - verdict!.onset) / count(PARAGRAPH)).toBeGreaterThanOrEqual(ONLINE_LOOP_SETTINGS.medium.minRepeats);
  });

  it('stops a drifting loop (a counter breaks the exact repetition)', () => {
    let loop = '';
    for (let day = 1; day <= 60; day++) loop += `Day ${day}: we went to the park with the dog and played with the ball all day.\n`;
    const { verdict } = feed(INTRO + loop);
    expect(verdict?.kind).toBe('drift');
    expect(verdict!.onset).toBeGreaterThanOrEqual(count(INTRO) - 2);
    expect(verdict!.onset).toBeLessThanOrEqual(count(INTRO) + 40);
    expect(exactRepeatedTail(tokenizer()(INTRO + loop).map((t) => t.id), ONLINE_LOOP_SETTINGS.medium)).toBeNull();
  });

  it('never fires on normal varied text, lists or a short table, at any sensitivity', () => {
    const table = Array.from({ length: 10 }, (_, i) => `2 x ${i + 1} = ${2 * (i + 1)}`).join('\n');
    const list = ['apples', 'pears', 'plums', 'grapes', 'figs', 'dates', 'kiwis', 'limes', 'melons', 'cherries']
      .map((fruit, i) => `${i + 1}. Buy ${fruit} at the market.`)
      .join('\n');
    const text = [LONG_EN, CLEAN.en, table, CLEAN.fr, list, CLEAN.es, LONG_EN.toUpperCase()].join('\n\n');
    expect(count(text)).toBeGreaterThan(600);
    for (const s of ['low', 'medium', 'high'] as const) expect(feed(text, s).verdict).toBeNull();
  });

  it('gives a word stutter twice the span before calling it a loop (small models escape stutters)', () => {
    const stutter = INTRO + ' magical'.repeat(400);
    const { verdict } = feed(stutter);
    expect(verdict).not.toBeNull();
    expect(verdict!.at - verdict!.onset).toBeGreaterThanOrEqual(2 * ONLINE_LOOP_SETTINGS.medium.minSpan);
  });

  it('fires sooner the higher the sensitivity', () => {
    const text = INTRO + LINE.repeat(60);
    const at = (s: LoopSensitivity) => feed(text, s).verdict!.at;
    expect(at('high')).toBeLessThan(at('medium'));
    expect(at('medium')).toBeLessThan(at('low'));
  });

  it('stays fired, and works without the text (no character onset)', () => {
    const d = new OnlineLoopDetector('high');
    const ids = tokenizer()(INTRO + LINE.repeat(30)).map((t) => t.id);
    let v = null;
    for (const id of ids) v = d.push(id) ?? v;
    expect(v).not.toBeNull();
    expect(v!.onsetChar).toBeNull();
    expect(d.verdict).toBe(v);
  });
});
