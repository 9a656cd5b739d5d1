import { describe, expect, it } from 'vitest';
import { firstValueFrom, from, toArray } from 'rxjs';
import fc from 'fast-check';
import { ExpiredError, ParseError } from '../../src/errors.js';
import { toWatchEvent, toWatchEvents, SYNC_STATUSES } from '../../src/watch/events.js';
import { backoffDelay, DEFAULT_BACKOFF, isTransientError, resolveBackoff } from '../../src/watch/retry-policy.js';
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  NotSupportedError,
  SelectorParseError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '../../src/errors.js';
import { added, bookmark, deleted, errorEvent, modified, pool } from './helpers.js';

describe('toWatchEvent', () => {
  const a1 = pool('a', '1');
  const a2 = pool('a', '2', '10.9.0.0/16');

  it('maps ADDED, MODIFIED (with and without previous) and DELETED to client events carrying the objects', () => {
    expect(toWatchEvent(added(a1))).toEqual({ type: 'added', object: a1.value, revision: '1' });
    expect(toWatchEvent(modified(a2, a1))).toEqual({ type: 'modified', object: a2.value, previous: a1.value, revision: '2' });
    const noPrev = toWatchEvent(modified(a2));
    expect(noPrev).toEqual({ type: 'modified', object: a2.value, revision: '2' });
    expect(noPrev && 'previous' in noPrev).toBe(false);
    // A deletion reports the last known state and the revision of the delete itself.
    expect(toWatchEvent(deleted(a2, '7'))).toEqual({ type: 'deleted', object: a2.value, revision: '7' });
  });

  it('maps a bookmark to undefined and throws the error of an ERROR event', () => {
    expect(toWatchEvent(bookmark('5'))).toBeUndefined();
    const err = new ExpiredError();
    expect(() => toWatchEvent(errorEvent(err))).toThrow(err);
  });

  it('toWatchEvents drops bookmarks and errors the stream at an ERROR event', async () => {
    const ok = await firstValueFrom(from([added(a1), bookmark('3'), deleted(a1, '4')]).pipe(toWatchEvents(), toArray()));
    expect(ok.map((e) => `${e.type}@${e.revision}`)).toEqual(['added@1', 'deleted@4']);
    const parse = new ParseError('/calico/resources/v3/projectcalico.org/ippools/x');
    await expect(firstValueFrom(from([bookmark('1'), errorEvent(parse), added(a1)]).pipe(toWatchEvents()))).rejects.toBe(parse);
  });

  it('lists the statuses in the order of a healthy start', () => {
    expect(SYNC_STATUSES).toEqual(['wait-for-datastore', 'resync', 'in-sync']);
  });
});

describe('retry policy', () => {
  it('backoffDelay stays within [0, min(max, initial × factor^(n-1))] and equals the cap without jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, initialDelay, maxDelay, factor, r) => {
          const cap = Math.min(maxDelay, initialDelay * factor ** (attempt - 1));
          const jittered = backoffDelay(attempt, resolveBackoff({ initialDelay, maxDelay, factor, random: () => r }));
          expect(jittered).toBeGreaterThanOrEqual(0);
          expect(jittered).toBeLessThanOrEqual(cap);
          expect(jittered).toBe(Math.floor(r * cap));
          expect(backoffDelay(attempt, resolveBackoff({ initialDelay, maxDelay, factor, jitter: 'none' }))).toBe(Math.round(cap));
        },
      ),
    );
  });

  it('defaults to 1 s, doubling, 30 s, full jitter; undefined members keep the defaults', () => {
    expect(resolveBackoff(undefined)).toEqual(DEFAULT_BACKOFF);
    expect(resolveBackoff({ initialDelay: undefined, maxDelay: 5 })).toEqual({ ...DEFAULT_BACKOFF, maxDelay: 5 });
    const none = resolveBackoff({ jitter: 'none' });
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, none))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('rejects bad settings with the field path', () => {
    expect(() => resolveBackoff({ maxDelay: Number.NaN }, 'watch.backoff')).toThrow(/watch\.backoff\.maxDelay/);
    expect(() => resolveBackoff({ jitter: 'half' as 'full' })).toThrow(/backoff\.jitter/);
  });

  it('treats connection-type failures as transient and request, credential, relist and programming errors as fatal', () => {
    const id = { kind: 'IPPool', name: 'a' };
    for (const e of [new UnavailableError('x'), new NotFoundError(id), new ConflictError(id), new AlreadyExistsError(id), new ParseError('/k')]) {
      expect(isTransientError(e)).toBe(true);
    }
    for (const e of [
      new UnauthorizedError(),
      new NotSupportedError('Watch'),
      new ValidationError([]),
      new SelectorParseError('a ==', 4, 'unexpected end'),
      new ExpiredError(),
      new Error('bug'),
      'string',
    ]) {
      expect(isTransientError(e)).toBe(false);
    }
  });
});
