import type Database from 'better-sqlite3';

/**
 * Makes `db.prepare` reuse statements by SQL text. Repositories prepare their SQL where they use it, which keeps
 * them readable, but compiling a statement costs more than running it: on the per-generation path (store the
 * generation, its detections, re-read the run) that was a measurable part of the queue's overhead (bench P1).
 * Bounded, oldest first out, because the reader builds SQL with IN-lists of varying length. Safe because nothing
 * here iterates a statement while running it again (no `.iterate()` in this codebase).
 */
export function cachePreparedStatements(db: Database.Database, max = 256): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql); // re-insert: most recently used last
    } else {
      statement = prepare(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  }) as typeof db.prepare;
}
