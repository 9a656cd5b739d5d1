import { describe, expect, it } from 'vitest';
import { SelectorParseError } from '../../../src/errors.js';
import { isValidSelectorLabel, MAX_LABEL_LENGTH, tokenize } from '../../../src/model/selector/index.js';

const kinds = (s: string): string[] => tokenize(s).map((t) => t.kind);

function tokenizeError(s: string): SelectorParseError {
  try {
    tokenize(s);
  } catch (e) {
    expect(e).toBeInstanceOf(SelectorParseError);
    return e as SelectorParseError;
  }
  throw new Error(`expected ${JSON.stringify(s)} not to tokenize`);
}

describe('tokenize', () => {
  it('ends every token list with eof at the input length', () => {
    expect(tokenize('')).toEqual([{ kind: 'eof', value: '', pos: 0 }]);
    expect(tokenize(' \t ')).toEqual([{ kind: 'eof', value: '', pos: 3 }]);
  });

  it('records kinds, values and offsets', () => {
    expect(tokenize('a notin {"x", \'y\'}')).toEqual([
      { kind: 'label', value: 'a', pos: 0 },
      { kind: 'not in', value: '', pos: 2 },
      { kind: '{', value: '', pos: 8 },
      { kind: 'string', value: 'x', pos: 9 },
      { kind: ',', value: '', pos: 12 },
      { kind: 'string', value: 'y', pos: 14 },
      { kind: '}', value: '', pos: 17 },
      { kind: 'eof', value: '', pos: 18 },
    ]);
    expect(tokenize('!has( x.y/z )&&all( )||global()')).toEqual([
      { kind: '!', value: '', pos: 0 },
      { kind: 'has', value: 'x.y/z', pos: 1 },
      { kind: '&&', value: '', pos: 13 },
      { kind: 'all', value: '', pos: 15 },
      { kind: '||', value: '', pos: 21 },
      { kind: 'global', value: '', pos: 23 },
      { kind: 'eof', value: '', pos: 31 },
    ]);
  });

  it('reads != before !', () => {
    expect(kinds('a!="b"')).toEqual(['label', '!=', 'string', 'eof']);
    expect(kinds('!a == "b"')).toEqual(['!', 'label', '==', 'string', 'eof']);
    expect(tokenizeError('a ! = "b"').position).toBe(4);
  });

  it('recognises every word operator only after a label', () => {
    expect(kinds('a contains "x"')[1]).toBe('contains');
    expect(kinds('a starts with "x"')[1]).toBe('starts with');
    expect(kinds('a startswith "x"')[1]).toBe('starts with');
    expect(kinds('a starts \t with "x"')[1]).toBe('starts with');
    expect(kinds('a ends with "x"')[1]).toBe('ends with');
    expect(kinds('a endswith "x"')[1]).toBe('ends with');
    expect(kinds('a not in {}')[1]).toBe('not in');
    expect(kinds('a in {}')[1]).toBe('in');
    expect(kinds('contains contains "contains"')).toEqual(['label', 'contains', 'string', 'eof']);
    expect(kinds('in in {}')).toEqual(['label', 'in', '{', '}', 'eof']);
    expect(kinds('starts starts with "x"')).toEqual(['label', 'starts with', 'string', 'eof']);
  });

  it('needs a word boundary after a word operator', () => {
    expect(kinds('a in{"x"}')[1]).toBe('in');
    expect(kinds('a contains"x"')[1]).toBe('contains');
    expect(kinds('a in')[1]).toBe('in');
    expect(tokenizeError('a inside {"x"}').position).toBe(2);
    expect(tokenizeError('a containsx "x"').position).toBe(2);
    expect(tokenizeError('a ends withs "x"').position).toBe(2);
    expect(tokenizeError('a notinx {}').position).toBe(2);
    expect(tokenizeError('a IN {"x"}').reason).toMatch(/operator after the label.*'IN'/);
  });

  it('treats only space and tab as whitespace', () => {
    expect(kinds('\ta\t==\t"b"\t')).toEqual(['label', '==', 'string', 'eof']);
    for (const ws of ['\n', '\r', '\f', '\v', '\u00a0', '\u2028', '\u3000']) {
      const err = tokenizeError(`has(a)${ws}`);
      expect(err.position).toBe(6);
    }
    expect(tokenizeError('a == "b"\n').reason).toMatch(/newline/);
    expect(tokenizeError('a == "b"\r\n').reason).toMatch(/carriage return/);
    expect(tokenizeError('a == "b"\u00a0').reason).toMatch(/U\+00A0/);
  });

  it('keeps everything inside a string literal, with no escapes', () => {
    expect(tokenize('a == "x\\"')[2]).toEqual({ kind: 'string', value: 'x\\', pos: 5 });
    expect(tokenize("a == 'say \"hi\" && || ( \n'")[2]?.value).toBe('say "hi" && || ( \n');
    expect(tokenize('a == ""')[2]?.value).toBe('');
    expect(tokenize("a == ''")[2]?.value).toBe('');
    expect(tokenize('a == "é 🙂"')[2]?.value).toBe('é 🙂');
    expect(tokenizeError('a == "x').reason).toBe('unterminated string literal');
    expect(tokenizeError('a == "x\'').position).toBe(5);
  });

  it('needs the function keyword glued to its parenthesis', () => {
    expect(kinds('has( a )')).toEqual(['has', 'eof']);
    // With a space the keyword is a plain label; the parser then rejects the '(' after it.
    expect(kinds('has (a)')).toEqual(['label', '(', 'label', ')', 'eof']);
    expect(kinds('all ()')).toEqual(['label', '(', ')', 'eof']);
    expect(tokenizeError('has()').reason).toMatch(/label inside has\(/);
    expect(tokenizeError('has(a').reason).toMatch(/expected '\)'/);
    expect(tokenizeError('all(x)').position).toBe(4);
    expect(tokenizeError('global(x)').position).toBe(7);
    expect(kinds('ALL()')).toEqual(['label', '(', ')', 'eof']);
    expect(kinds('Has(a)')).toEqual(['label', '(', 'label', ')', 'eof']);
  });

  it('rejects a lone =, & or |', () => {
    expect(tokenizeError('a = "b"').reason).toMatch(/single '='/);
    expect(tokenizeError('a == "b" & c == "d"').reason).toMatch(/single '&'/);
    expect(tokenizeError('a == "b" | c == "d"').reason).toMatch(/single '\|'/);
  });

  it('limits labels to 512 characters', () => {
    expect(MAX_LABEL_LENGTH).toBe(512);
    expect(tokenize(`${'a'.repeat(512)} == "x"`)[0]?.value).toHaveLength(512);
    const err = tokenizeError(`${'a'.repeat(513)} == "x"`);
    expect(err.position).toBe(0);
    expect(err.reason).toMatch(/longer than 512/);
    expect(tokenizeError(`has( ${'a'.repeat(513)})`).position).toBe(5);
  });
});

describe('isValidSelectorLabel', () => {
  it('accepts Kubernetes label keys and the odd Calico cases', () => {
    for (const l of ['app', 'k8s-app', 'projectcalico.org/namespace', 'example.com/tier', '-a', '.x', '9lives', '_', 'a'.repeat(512)]) {
      expect(isValidSelectorLabel(l)).toBe(true);
    }
  });

  it('rejects empty, over-long and non-label characters', () => {
    for (const l of ['', 'a'.repeat(513), 'a b', 'a@b', 'é', 'a\n', 'a:b', 'a=b']) {
      expect(isValidSelectorLabel(l)).toBe(false);
    }
  });
});
