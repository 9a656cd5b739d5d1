/**
 * The manifests in examples/: the valid ones validate after defaulting; every document in a
 * `*-invalid.yaml` file fails, at least at the paths its `# expect-errors:` header lists.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../src/model/defaults.js';
import { validate } from '../../../src/model/validate.js';

const DIR = join(import.meta.dirname, '../../../examples');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

function load(file: string): { text: string; docs: unknown[] } {
  const text = readFileSync(join(DIR, file), 'utf8');
  const docs = parseAllDocuments(text).map((d) => {
    expect(d.errors, file).toEqual([]);
    return d.toJS() as unknown;
  });
  return { text, docs };
}

describe('examples', () => {
  it('has a valid and a broken manifest for every kind', () => {
    for (const kind of ['ippool', 'node', 'workloadendpoint', 'networkpolicy', 'globalnetworkpolicy', 'tier']) {
      expect(files).toContain(`${kind}.yaml`);
      expect(files).toContain(`${kind}-invalid.yaml`);
    }
  });

  for (const file of files.filter((f) => !f.endsWith('-invalid.yaml'))) {
    it(`${file} is valid`, () => {
      const { docs } = load(file);
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) expect(validate(applyDefaults(doc)).errors).toEqual([]);
    });
  }

  for (const file of files.filter((f) => f.endsWith('-invalid.yaml'))) {
    it(`${file} fails at the paths it announces`, () => {
      const { text, docs } = load(file);
      const header = /^# expect-errors: (.+)$/m.exec(text);
      expect(header, 'expect-errors header').not.toBeNull();
      const expected = header![1]!.split(',').map((p) => p.trim());
      expect(docs).toHaveLength(1);
      const result = validate(applyDefaults(docs[0]));
      expect(result.valid).toBe(false);
      const paths = result.errors.map((e) => e.path);
      for (const p of expected) expect(paths, p).toContain(p);
    });
  }
});
