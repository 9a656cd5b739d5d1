import { describe, expect, it } from 'vitest';
import { MAX_TEXT_NESTING, nestsTooDeeply } from '../../../src/cli/input/nesting-estimate.js';

describe('nestsTooDeeply', () => {
  it('lets through brackets in quoted scalars, plain scalars and comments', () => {
    const many = '['.repeat(MAX_TEXT_NESTING + 10);
    expect(nestsTooDeeply(`selector: "${many}"\n`)).toBe(false);
    expect(nestsTooDeeply(`selector: '${many} it''s'\n`)).toBe(false);
    expect(nestsTooDeeply(`# ${many}\nkind: IPPool\n`)).toBe(false);
    expect(nestsTooDeeply('spec:\n  selector: tier in {"a", "b"} && app == "web"\n  ports: [80, {a: [1]}]\n')).toBe(false);
    expect(nestsTooDeeply(`note: a - b - c - d\n`)).toBe(false);
  });

  it('refuses flow, indented and compact block nesting beyond the bound', () => {
    expect(nestsTooDeeply(`a: ${'['.repeat(MAX_TEXT_NESTING + 1)}`)).toBe(true);
    expect(nestsTooDeeply(`a: ${'{b: '.repeat(MAX_TEXT_NESTING + 1)}`)).toBe(true);
    expect(nestsTooDeeply(`a: ${'- '.repeat(MAX_TEXT_NESTING + 1)}x\n`)).toBe(true);
    expect(nestsTooDeeply(`a:\n${' '.repeat(MAX_TEXT_NESTING + 1)}b: 1\n`)).toBe(true);
    // A quote inside a plain scalar does not hide what follows.
    expect(nestsTooDeeply(`a: don't ${'['.repeat(MAX_TEXT_NESTING + 1)}`)).toBe(true);
    expect(nestsTooDeeply(`a: ${'['.repeat(MAX_TEXT_NESTING)}`)).toBe(false);
  });
});
