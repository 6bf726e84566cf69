import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { METHOD_LABEL_SQL } from '../../../src/main/store/methodLabelSql';
import { METHODS, type Lang, type MethodName } from '../../../src/shared/domain';
import { methodLabel } from '../../../src/shared/methodLabel';

/** The reader and Results label runs in SQL; it must say what methodLabel() says wherever the two can differ. */
describe('METHOD_LABEL_SQL', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE runs (method_json TEXT, config_json TEXT, dataset_lang TEXT)');
  const labelOf = (method: string, promptLang: Lang | undefined, datasetLang: Lang): string =>
    db
      .prepare<[string, string, string], { label: string }>(
        `SELECT ${METHOD_LABEL_SQL} AS label FROM (SELECT ? AS method_json, ? AS config_json) r, (SELECT ? AS lang) d`,
      )
      .get(JSON.stringify({ method }), JSON.stringify({ method: { method, ...(promptLang && { promptLang }) } }), datasetLang)!.label;

  it('labels a URIAL run with a prompt in another language as methodLabel does', () => {
    expect(labelOf('urial', 'en', 'fr')).toBe(methodLabel('urial', 'en', 'fr'));
    expect(labelOf('urial', 'fr', 'es')).toBe('URIAL (fr prompt)');
  });

  it('keeps the method name otherwise (the name the filters use)', () => {
    for (const method of METHODS as readonly MethodName[]) {
      expect(labelOf(method, 'fr', 'fr')).toBe(method);
      expect(labelOf(method, undefined, 'fr')).toBe(method);
    }
    expect(labelOf('chat', 'en', 'fr')).toBe('chat');
  });
});
