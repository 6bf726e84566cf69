/**
 * A run's method as shown (src/shared/methodLabel.ts) in SQL, over `runs r` joined with `datasets d`: the method's
 * name, except a URIAL run whose prompt is in another language than its items, "URIAL (en prompt)". The reader
 * shows it and Results group by it, so an English-prompt arm never passes for (nor pools with) the French one.
 * Filters keep using the method's name. Keep in step with methodLabel() (tests/unit/store/methodLabelSql.test.ts).
 */
const PROMPT_LANG = `json_extract(r.config_json, '$.method.promptLang')`;
const METHOD = `json_extract(r.method_json, '$.method')`;

export const METHOD_LABEL_SQL = `(CASE WHEN ${METHOD} = 'urial' AND ${PROMPT_LANG} IS NOT NULL AND ${PROMPT_LANG} <> d.lang
  THEN 'URIAL (' || ${PROMPT_LANG} || ' prompt)' ELSE ${METHOD} END)`;
