import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/main/store/openStore';

function model(store: ReturnType<typeof openStore>, name: string) {
  return store.models.upsert({
    path: `/models/${name}.gguf`,
    name,
    sha256: `sha-${name}`,
    sizeBytes: 1,
    architecture: 'llama',
    parameterCount: 1,
    quantization: 'Q8_0',
    trainContextSize: 2048,
    chatTemplate: null,
    runnable: true,
    metadata: {},
  });
}

describe('model families in the store (migration 0007)', () => {
  const store = openStore(':memory:');
  afterAll(() => store.close());

  it('assigns members with a role, keeps it across a re-add, and clears both on removal of the family', () => {
    const family = store.families.create('Qwen2.5-0.5B');
    const base = model(store, 'qwen-base');
    const sft = model(store, 'qwen-instruct');
    expect(base).toMatchObject({ familyId: null, role: null });
    store.models.setFamily(base.id, { familyId: family.id, role: 'base' });
    store.models.setFamily(sft.id, { familyId: family.id, role: 'sft' });
    // Re-adding the same path refreshes the file's metadata but not the user's assignment.
    expect(model(store, 'qwen-base')).toMatchObject({ id: base.id, familyId: family.id, role: 'base' });
    expect(store.models.members(family.id).map((m) => [m.name, m.role])).toEqual([
      ['qwen-base', 'base'],
      ['qwen-instruct', 'sft'],
    ]);
    store.families.remove(family.id);
    expect(store.models.get(sft.id)).toMatchObject({ familyId: null, role: null });
    expect(store.families.list()).toEqual([]);
  });

  it('refuses a duplicate family name and an unknown role', () => {
    store.families.create('SmolLM2');
    expect(() => store.families.create('SmolLM2')).toThrow(/A family named "SmolLM2" already exists/);
    expect(() => store.db.prepare("UPDATE models SET role = 'rlhf' WHERE id = 1").run()).toThrow(/CHECK constraint/);
  });

  it('counts the runs and judges that keep a model from being removed', () => {
    const m = model(store, 'used');
    expect(store.models.usage(m.id)).toEqual({ runs: 0, judges: 0 });
    store.db.exec(`
      INSERT INTO datasets (id, name, lang, source_path, source_sha256, format, item_count, created_at) VALUES (1, 'd', 'en', '/d', 'x', 'jsonl', 0, 't');
      INSERT INTO runs (name, kind, model_id, dataset_id, method_json, environment_json, status, total, created_at, updated_at)
        VALUES ('r', 'generate', ${m.id}, 1, '{}', '{}', 'done', 0, 't', 't');
    `);
    expect(store.models.usage(m.id)).toEqual({ runs: 1, judges: 0 });
  });
});
