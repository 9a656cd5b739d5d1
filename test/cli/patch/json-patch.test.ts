import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, PatchError } from '../../../src/cli/patch/json-patch.js';

function failure(target: unknown, ops: unknown): PatchError {
  try {
    applyJsonPatch(target, ops);
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('the patch applied');
}

describe('applyJsonPatch (RFC 6902)', () => {
  it('add: object member, array insert, append with -, whole document', () => {
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }])).toEqual({ foo: 'bar', baz: 'qux' });
    expect(applyJsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }])).toEqual({ foo: ['bar', 'qux', 'baz'] });
    expect(applyJsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc'] }])).toEqual({ foo: ['bar', ['abc']] });
    expect(applyJsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/1', value: 'end' }])).toEqual({ foo: ['bar', 'end'] });
    expect(applyJsonPatch({ foo: 1 }, [{ op: 'add', path: '', value: [1] }])).toEqual([1]);
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/foo', value: null }])).toEqual({ foo: null });
  });

  it('remove and replace', () => {
    expect(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }])).toEqual({ foo: 'bar' });
    expect(applyJsonPatch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }])).toEqual({ foo: ['bar', 'baz'] });
    expect(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }])).toEqual({ baz: 'boo', foo: 'bar' });
    expect(applyJsonPatch({ a: [1, 2] }, [{ op: 'replace', path: '/a/0', value: 9 }])).toEqual({ a: [9, 2] });
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: 'x' }])).toBe('x');
  });

  it('move and copy', () => {
    const doc = { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } };
    expect(applyJsonPatch(doc, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }])).toEqual({ foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } });
    expect(applyJsonPatch({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }])).toEqual({ foo: ['all', 'cows', 'eat', 'grass'] });
    expect(applyJsonPatch({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a' }])).toEqual({ a: { b: 1 } });
    const copied = applyJsonPatch({ a: { b: [1] } }, [{ op: 'copy', from: '/a', path: '/c' }]) as { a: { b: number[] }; c: { b: number[] } };
    expect(copied).toEqual({ a: { b: [1] }, c: { b: [1] } });
    expect(copied.c).not.toBe(copied.a);
  });

  it('test compares JSON values (object member order ignored, array order not)', () => {
    const doc = { baz: 'qux', foo: ['a', 2, 'c'], o: { x: 1, y: [1, 2] } };
    expect(applyJsonPatch(doc, [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
      { op: 'test', path: '/o', value: { y: [1, 2], x: 1 } },
    ])).toEqual(doc);
    expect(failure(doc, [{ op: 'test', path: '/baz', value: 'bar' }]).message).toBe('json patch operation 0 (test /baz): test failed: the value differs');
    expect(failure(doc, [{ op: 'test', path: '/o/y', value: [2, 1] }]).message).toContain('test failed');
    expect(failure(doc, [{ op: 'test', path: '/foo/1', value: '2' }]).message).toContain('test failed');
  });

  it('unescapes ~1 and ~0 in pointers', () => {
    const doc = { metadata: { labels: { 'projectcalico.org/name': 'a', 'm~n': 'b' } } };
    expect(applyJsonPatch(doc, [
      { op: 'replace', path: '/metadata/labels/projectcalico.org~1name', value: 'z' },
      { op: 'remove', path: '/metadata/labels/m~0n' },
    ])).toEqual({ metadata: { labels: { 'projectcalico.org/name': 'z' } } });
    expect(applyJsonPatch({ '': 1 }, [{ op: 'replace', path: '/', value: 2 }])).toEqual({ '': 2 });
  });

  it('reports failures naming the operation index, op and path', () => {
    const doc = { spec: { a: 1, list: [1, 2] } };
    expect(failure(doc, [{ op: 'test', path: '/spec/a', value: 1 }, { op: 'remove', path: '/spec/missing' }]).message).toBe('json patch operation 1 (remove /spec/missing): path does not exist');
    expect(failure(doc, [{ op: 'replace', path: '/spec/b', value: 1 }]).message).toBe('json patch operation 0 (replace /spec/b): path does not exist');
    expect(failure(doc, [{ op: 'add', path: '/nope/x', value: 1 }]).message).toBe('json patch operation 0 (add /nope/x): path does not exist');
    expect(failure(doc, [{ op: 'add', path: '/spec/list/3', value: 1 }]).message).toBe('json patch operation 0 (add /spec/list/3): array index 3 is out of range');
    expect(failure(doc, [{ op: 'remove', path: '/spec/list/-' }]).message).toBe('json patch operation 0 (remove /spec/list/-): "-" is not an array index');
    expect(failure(doc, [{ op: 'remove', path: '/spec/list/01' }]).message).toBe('json patch operation 0 (remove /spec/list/01): "01" is not an array index');
    expect(failure(doc, [{ op: 'remove', path: '' }]).message).toBe('json patch operation 0 (remove ): cannot remove the whole document');
    expect(failure(doc, [{ op: 'move', from: '/spec', path: '/spec/inner' }]).message).toBe('json patch operation 0 (move /spec/inner from /spec): cannot move a value into one of its own children');
    expect(failure(doc, [{ op: 'copy', from: '/spec/zzz', path: '/x' }]).message).toBe('json patch operation 0 (copy /x from /spec/zzz): "from": path does not exist');
    expect(failure(doc, [{ op: 'add', path: '/spec/a/b', value: 1 }]).message).toBe('json patch operation 0 (add /spec/a/b): path does not exist');
  });

  it('rejects malformed patches', () => {
    expect(failure({}, { op: 'add' }).message).toBe('a JSON patch must be an array of operations');
    expect(failure({}, ['add']).message).toBe('json patch operation 0: an operation must be an object');
    expect(failure({}, [{ op: 'frob', path: '/a' }]).message).toBe('json patch operation 0 (frob /a): unknown op "frob"');
    expect(failure({}, [{ path: '/a' }]).message).toBe('json patch operation 0 (/a): unknown op undefined');
    expect(failure({}, [{ op: 'add', path: '/a' }]).message).toBe('json patch operation 0 (add /a): "value" is required');
    expect(failure({}, [{ op: 'remove' }]).message).toBe('json patch operation 0 (remove): "path" must be a string');
    expect(failure({}, [{ op: 'copy', path: '/a' }]).message).toBe('json patch operation 0 (copy /a): "from" must be a string');
    expect(failure({}, [{ op: 'add', path: 'a', value: 1 }]).message).toBe('json patch operation 0 (add a): invalid "path": a JSON pointer must be empty or start with "/"');
    expect(failure({}, [{ op: 'add', path: '/a~2', value: 1 }]).message).toBe('json patch operation 0 (add /a~2): invalid "path": "~" must be followed by 0 or 1 in "a~2"');
    expect(failure({}, [{ op: 'add', path: '/a', value: 1 }, 7]).name).toBe('PatchError');
  });

  it('does not modify its inputs, also when a later operation fails', () => {
    const doc = { spec: { a: 1, list: [1] } };
    const ops = [{ op: 'add', path: '/spec/list/-', value: { x: 1 } }, { op: 'remove', path: '/spec/a' }, { op: 'remove', path: '/spec/none' }];
    const before = JSON.stringify([doc, ops]);
    expect(() => applyJsonPatch(doc, ops)).toThrow(PatchError);
    expect(JSON.stringify([doc, ops])).toBe(before);
    const out = applyJsonPatch(doc, ops.slice(0, 2)) as { spec: { list: unknown[] } };
    expect(out).toEqual({ spec: { list: [1, { x: 1 }] } });
    expect(out.spec.list[1]).not.toBe(ops[0]!.value);
  });

  it('keeps __proto__ an ordinary member', () => {
    const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(() => applyJsonPatch({}, [{ op: 'remove', path: '/constructor' }])).toThrow('path does not exist');
  });

  const key = fc.string({ maxLength: 6 });
  const pointerToken = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

  it('property: test after add of the same value succeeds, and the value can be read back', () => {
    fc.assert(fc.property(fc.dictionary(key, fc.jsonValue()), key, fc.jsonValue(), (doc, name, value) => {
      const path = `/${pointerToken(name)}`;
      const out = applyJsonPatch(doc, [{ op: 'add', path, value }, { op: 'test', path, value }]) as Record<string, unknown>;
      expect(Object.prototype.hasOwnProperty.call(out, name)).toBe(true);
      expect(JSON.stringify(out[name])).toBe(JSON.stringify(value));
    }));
  });

  it('property: add then remove of a new member restores the document', () => {
    fc.assert(fc.property(fc.dictionary(key, fc.jsonValue()), key, fc.jsonValue(), (doc, name, value) => {
      fc.pre(!Object.prototype.hasOwnProperty.call(doc, name));
      const path = `/${pointerToken(name)}`;
      expect(applyJsonPatch(doc, [{ op: 'add', path, value }, { op: 'remove', path }])).toEqual(doc);
    }));
  });

  it('property: an empty patch returns an equal copy', () => {
    fc.assert(fc.property(fc.jsonValue(), (doc) => {
      expect(applyJsonPatch(doc, [])).toEqual(doc);
    }));
  });
});
