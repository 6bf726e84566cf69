/**
 * The reader's side-by-side matrix for one item: rows = languages (the parallel items), columns = methods or
 * models, each cell the generations of that pair (usually one; several when e.g. two models share a method).
 * Pure: the view draws it, keyboard moves are computed here, tests check both.
 */
import type { SideBySideColumn } from '../../../shared/api';

export const MATRIX_AXES = ['method', 'model'] as const;
export type MatrixAxis = (typeof MATRIX_AXES)[number];

export function parseAxis(param: string | undefined): MatrixAxis {
  return param === 'model' ? 'model' : 'method';
}

export interface Matrix {
  axis: MatrixAxis;
  rows: string[];
  columns: string[];
  /** cells[row][column]: the generations of that language × method (or model), in the backend's order. */
  cells: SideBySideColumn[][][];
}

/** The column a generation falls in; an imported run without a model row is named by its run. */
export function columnOf(g: SideBySideColumn, axis: MatrixAxis): string {
  return axis === 'method' ? g.method : (g.modelName ?? g.runName);
}

/** What tells apart generations sharing a cell: the other axis. */
export function cellLabel(g: SideBySideColumn, axis: MatrixAxis): string {
  return axis === 'method' ? (g.modelName ?? g.runName) : g.method;
}

export function buildMatrix(generations: readonly SideBySideColumn[], axis: MatrixAxis): Matrix {
  // The backend orders by language, method, model, run: first-seen order keeps that.
  const rows = [...new Set(generations.map((g) => g.lang))];
  const columns = [...new Set(generations.map((g) => columnOf(g, axis)))];
  if (axis === 'model') columns.sort((a, b) => a.localeCompare(b));
  const cells = rows.map(() => columns.map((): SideBySideColumn[] => []));
  for (const g of generations) cells[rows.indexOf(g.lang)]![columns.indexOf(columnOf(g, axis))]!.push(g);
  return { axis, rows, columns, cells };
}

export function positionOf(matrix: Matrix, id: number): { row: number; column: number; index: number } | null {
  for (const [row, line] of matrix.cells.entries())
    for (const [column, cell] of line.entries()) {
      const index = cell.findIndex((g) => g.id === id);
      if (index !== -1) return { row, column, index };
    }
  return null;
}

export type MatrixMove = 'left' | 'right' | 'up' | 'down';

const STEPS: Record<MatrixMove, readonly [number, number]> = { left: [0, -1], right: [0, 1], up: [-1, 0], down: [1, 0] };

/**
 * The generation a move lands on: the nearest non-empty cell that way (empty cells are skipped), keeping the
 * place inside a shared cell when it can. Null at the edge, or when `id` is not in the matrix.
 */
export function moveInMatrix(matrix: Matrix, id: number, move: MatrixMove): number | null {
  const at = positionOf(matrix, id);
  if (!at) return null;
  const [dRow, dColumn] = STEPS[move];
  const inside = (row: number, column: number) => row >= 0 && row < matrix.rows.length && column >= 0 && column < matrix.columns.length;
  for (let row = at.row + dRow, column = at.column + dColumn; inside(row, column); row += dRow, column += dColumn) {
    const cell = matrix.cells[row]![column]!;
    if (cell.length) return cell[Math.min(at.index, cell.length - 1)]!.id;
  }
  return null;
}
