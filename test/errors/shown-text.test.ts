import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client.js';
import { NotFoundError, ValidationError, formatIdentifier, isNotFound, isValidationError, shownLines, shownText } from '../../src/errors.js';
import { keyString } from '../../src/watch/index.js';

const MiB = 1 << 20;

describe('shownText', () => {
  it('keeps ordinary text as it is', () => {
    expect(shownText('pool-a')).toBe('pool-a');
    expect(shownText('名前 ✓ 😀')).toBe('名前 ✓ 😀');
  });

  it('escapes control characters, separators, bidi overrides and unpaired surrogates', () => {
    expect(shownText('a\u0000b\nc\td\re')).toBe('a\\0b\\nc\\td\\re');
    expect(shownText('\u001b[31mred\u007f\u0085')).toBe('\\u001b[31mred\\u007f\\u0085');
    expect(shownText('x\u2028y\u202ez\u2066')).toBe('x\\u2028y\\u202ez\\u2066');
    expect(shownText('lone \ud800 and \udc00 but 😀')).toBe('lone \\ud800 and \\udc00 but 😀');
  });

  it('cuts long text and says how much was left out, never halving a surrogate pair', () => {
    const shown = shownText('x'.repeat(MiB));
    expect(shown).toBe(`${'x'.repeat(256)}…(${MiB - 256} more characters)`);
    const emoji = `${'x'.repeat(255)}😀tail`;
    expect(shownText(emoji)).toBe(`${'x'.repeat(255)}…(6 more characters)`);
  });

  it('keeps line breaks in multi-line output but bounds and escapes each line', () => {
    expect(shownLines(`first\u0000\n${'y'.repeat(5000)}\n`)).toBe(`first\\0\n${'y'.repeat(4096)}…(904 more characters)\n`);
  });
});

describe('error messages repeat input bounded and escaped', () => {
  it('bounds identifiers, field paths and messages; the error keeps the full values as data', () => {
    const name = `${'n'.repeat(MiB)}\u0000`;
    const notFound = new NotFoundError({ kind: 'IPPool', name });
    expect(notFound.message.length).toBeLessThan(400);
    expect(notFound.message).not.toContain('\u0000');
    expect(notFound.identifier?.name).toBe(name);
    const many = Array.from({ length: 1000 }, (_, i) => ({ path: `metadata.labels.${'k'.repeat(MiB / 1000)}${i}`, type: 'invalid' as const, message: `bad\u0000${'v'.repeat(5000)}` }));
    const invalid = new ValidationError(many, { identifier: { kind: 'IPPool', name } });
    expect(invalid.message.length).toBeLessThanOrEqual(4096 + 40);
    expect([...invalid.message].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(invalid.errors).toHaveLength(1000);
  });

  it('leaves formatIdentifier exact: it also keys the synced cache', () => {
    const key = { kind: 'IPPool', name: `a\u0000${'b'.repeat(1000)}` };
    expect(formatIdentifier(key)).toBe(`IPPool(${key.name})`);
    expect(keyString(key)).toBe(`IPPool(${key.name})`);
  });

  it('through the client: a 1 MiB name with NUL bytes gives a short one-line message', async () => {
    const client = createClient({ datastoreType: 'memory' });
    const name = `${'p'.repeat(MiB)}\u0000x`;
    const got = await client.ipPools.get({ name }).catch((e: unknown) => e);
    expect(isNotFound(got)).toBe(true);
    expect((got as Error).message.length).toBeLessThan(400);
    const short = await client.ipPools.get({ name: 'a\u0000b' }).catch((e: unknown) => e);
    expect((short as Error).message).toBe('resource does not exist: IPPool(a\\0b)');
    const created = await client.ipPools
      .create({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name, labels: { [`k\u0000${'q'.repeat(MiB)}`]: 'v' } }, spec: { cidr: '10.0.0.0/16' } })
      .catch((e: unknown) => e);
    expect(isValidationError(created)).toBe(true);
    expect((created as Error).message.length).toBeLessThanOrEqual(4096 + 40);
    expect((created as Error).message).not.toContain('\u0000');
    await client.close();
  });
});
