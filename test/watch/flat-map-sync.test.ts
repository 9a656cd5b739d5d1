import { describe, expect, it } from 'vitest';
import { firstValueFrom, from, Subject, take, toArray } from 'rxjs';
import { flatMapSync } from '../../src/watch/flat-map-sync.js';

describe('flatMapSync', () => {
  it('emits zero or more values per input, in order, and completes with the source', async () => {
    const out = await firstValueFrom(from([0, 1, 2, 3]).pipe(flatMapSync((n) => Array.from({ length: n }, () => n)), toArray()));
    expect(out).toEqual([1, 2, 2, 3, 3, 3]);
  });

  it('errors the stream when the projection throws, and passes source errors on', async () => {
    const boom = new Error('projection failed');
    await expect(firstValueFrom(from([1, 2]).pipe(flatMapSync((n) => { if (n === 2) throw boom; return [n]; }), toArray()))).rejects.toBe(boom);
    const s = new Subject<number>();
    const seen: unknown[] = [];
    s.pipe(flatMapSync((n) => [n])).subscribe({ error: (e: unknown) => seen.push(e) });
    s.error(boom);
    expect(seen).toEqual([boom]);
  });

  it('stops emitting the rest of a batch once the subscriber is closed, and unsubscribes the source', async () => {
    const s = new Subject<number>();
    const got: number[] = [];
    s.pipe(flatMapSync((n) => [n, n + 1, n + 2]), take(2)).subscribe((v) => got.push(v));
    s.next(10);
    expect(got).toEqual([10, 11]);
    expect(s.observed).toBe(false);
  });
});
