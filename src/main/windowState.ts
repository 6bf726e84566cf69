import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect | null;
  maximized: boolean;
}

const stateSchema = z.object({
  bounds: z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(400), height: z.number().int().min(300) }).nullable(),
  maximized: z.boolean(),
});

/**
 * The window's last size and place, if it still fits a connected display (a monitor may have been unplugged
 * since); a missing or corrupt file just means the default window.
 */
export function loadWindowState(file: string, workAreas: Rect[]): WindowState {
  let state: WindowState;
  try {
    state = stateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { bounds: null, maximized: false };
  }
  const b = state.bounds;
  const visible = b && workAreas.some((a) => overlap(a, b) >= 0.5 * b.width * b.height);
  return { bounds: visible ? b : null, maximized: state.maximized };
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    writeFileSync(file, JSON.stringify(state));
  } catch (err) {
    // Losing the window size is not worth failing a quit over.
    console.error(`Could not save the window state to ${file}:`, err);
  }
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
