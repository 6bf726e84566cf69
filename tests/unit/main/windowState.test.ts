import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWindowState, saveWindowState } from '../../../src/main/windowState';

describe('window state', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-window-'));
  const file = join(dir, 'window-state.json');
  const screenArea = { x: 0, y: 0, width: 1920, height: 1080 };
  afterEach(() => rmSync(file, { force: true }));

  it('restores the saved bounds and maximized flag', () => {
    saveWindowState(file, { bounds: { x: 100, y: 50, width: 1200, height: 800 }, maximized: true });
    expect(loadWindowState(file, [screenArea])).toEqual({ bounds: { x: 100, y: 50, width: 1200, height: 800 }, maximized: true });
  });

  it('drops bounds that are no longer on any display (an unplugged monitor)', () => {
    saveWindowState(file, { bounds: { x: 2500, y: 0, width: 1200, height: 800 }, maximized: false });
    expect(loadWindowState(file, [screenArea]).bounds).toBeNull();
  });

  it('falls back to the default window on a missing or corrupt file', () => {
    expect(loadWindowState(file, [screenArea])).toEqual({ bounds: null, maximized: false });
    writeFileSync(file, '{"bounds": {"x": "left"}');
    expect(loadWindowState(file, [screenArea])).toEqual({ bounds: null, maximized: false });
  });
});
