import { toCsv } from '../../../shared/csvSafe';

/** JSONL keeps nested fields as JSON; CSV writes them as JSON strings in their column. */
export function formatExport(rows: readonly object[], format: 'jsonl' | 'csv'): string {
  if (format === 'jsonl') return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
  const flat = rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v])),
  );
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
  return toCsv(columns, flat.map((r) => columns.map((c) => r[c])));
}
