import { describe, expect, it } from 'vitest';
import { NEVER, type Observable } from 'rxjs';
import type { BackendEvent } from '../../src/backends/backend.js';
import {
  ExpiredError,
  isExpired,
  NotSupportedError,
  ParseError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
  NotFoundError,
} from '../../src/errors.js';
import { resumableWatch, type ResumableWatchOptions } from '../../src/watch/resumable-watch.js';
import { added, bookmark, deleted, errorEvent, modified, pool, testScheduler, type Pool } from './helpers.js';

/** A scripted `open`: the n-th call returns the n-th stream (then NEVER) and records its revision. */
function scripted(streams: Observable<BackendEvent<Pool>>[]): { open: (from: string | undefined) => Observable<BackendEvent<Pool>>; calls: (string | undefined)[] } {
  const calls: (string | undefined)[] = [];
  return {
    calls,
    open: (from) => {
      calls.push(from);
      return streams[calls.length - 1] ?? NEVER;
    },
  };
}

const fixed = (initialDelay: number, extra: ResumableWatchOptions['backoff'] = {}): ResumableWatchOptions => ({
  backoff: { initialDelay, maxDelay: 1000, jitter: 'none', ...extra },
});

const a1 = pool('a', '1');
const b2 = pool('b', '2');
const a3 = pool('a', '3', '10.1.0.0/16');
const ev = {
  a: added(a1),
  b: added(b2),
  c: modified(a3, a1),
  d: deleted(b2, '4'),
};

describe('resumableWatch: resuming', () => {
  it('opens nothing until subscribed', () => {
    const { open, calls } = scripted([]);
    resumableWatch(open, fixed(10));
    expect(calls).toEqual([]);
  });

  it('re-opens after a normal end from the last event revision, after the backoff, without duplicates', () => {
    const ts = testScheduler();
    const { calls } = ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s1 = cold<BackendEvent<Pool>>('-a-b|', ev);
      const s2 = cold<BackendEvent<Pool>>('-c|', ev);
      const s3 = cold<BackendEvent<Pool>>('-d-', ev);
      const script = scripted([s1, s2, s3]);
      const out = resumableWatch(script.open, fixed(10));
      // s1 ends at 4 → +10 → s2 at 14 (c at 15), ends at 16 → attempt reset by c → +10 → s3 at 26 (d at 27).
      expectObservable(out, '^ 40ms !').toBe('-a-b 10ms -c 10ms -d', ev);
      expectSubscriptions(s1.subscriptions).toBe('^---!');
      expectSubscriptions(s2.subscriptions).toBe('14ms ^-!');
      expectSubscriptions(s3.subscriptions).toBe('26ms ^ 14ms !');
      return script;
    });
    expect(calls).toEqual([undefined, '2', '3']);
  });

  it('starts from options.revision and resumes after a transient error from the last event', () => {
    const ts = testScheduler();
    const { calls } = ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s1 = cold<BackendEvent<Pool>>('-a#', ev, new UnavailableError('connection reset'));
      const s2 = cold<BackendEvent<Pool>>('--b', ev);
      const script = scripted([s1, s2]);
      expectObservable(resumableWatch(script.open, { ...fixed(5), revision: '0' }), '^ 20ms !').toBe('-a 5ms --b', ev);
      expectSubscriptions(s1.subscriptions).toBe('^-!');
      expectSubscriptions(s2.subscriptions).toBe('7ms ^ 13ms !');
      return script;
    });
    expect(calls).toEqual(['0', '1']);
  });

  it('treats a transient ERROR event as a failure: not emitted, stream closed, resumed', () => {
    const ts = testScheduler();
    const { calls } = ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s1 = cold<BackendEvent<Pool>>('-ae-b', { ...ev, e: errorEvent(new UnavailableError('etcd leader changed')) });
      const s2 = cold<BackendEvent<Pool>>('-b', ev);
      const script = scripted([s1, s2]);
      expectObservable(resumableWatch(script.open, fixed(3)), '^ 10ms !').toBe('-a 3ms -b', ev);
      expectSubscriptions(s1.subscriptions).toBe('^-!');
      expectSubscriptions(s2.subscriptions).toBe('5ms ^ 5ms !');
      return script;
    });
    expect(calls).toEqual([undefined, '1']);
  });

  it('advances the resume revision on bookmarks', () => {
    const ts = testScheduler();
    const { calls } = ts.run(({ cold, expectObservable }) => {
      const s1 = cold<BackendEvent<Pool>>('-ak|', { ...ev, k: bookmark('9') });
      const script = scripted([s1]);
      expectObservable(resumableWatch(script.open, fixed(1)), '^ 10ms !').toBe('-ak', { ...ev, k: bookmark('9') });
      return script;
    });
    expect(calls).toEqual([undefined, '9']);
  });

  it('drops an event a misbehaving backend repeats at the revision it resumed from', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const s1 = cold<BackendEvent<Pool>>('-ab|', ev);
      const s2 = cold<BackendEvent<Pool>>('bc', ev); // b is at revision 2, the resume point
      expectObservable(resumableWatch(scripted([s1, s2]).open, fixed(2)), '^ 10ms !').toBe('-ab 2ms -c', ev);
    });
  });

  it('re-opens without a revision when a revision-less stream ends before any event', () => {
    const ts = testScheduler();
    const { calls } = ts.run(({ cold, expectObservable }) => {
      const script = scripted([cold<BackendEvent<Pool>>('|'), cold<BackendEvent<Pool>>('a', ev)]);
      expectObservable(resumableWatch(script.open, fixed(4)), '^ 10ms !').toBe('4ms a', ev);
      return script;
    });
    expect(calls).toEqual([undefined, undefined]);
  });
});

describe('resumableWatch: backoff timing', () => {
  it('doubles the delay per consecutive failure up to maxDelay', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectSubscriptions }) => {
      const fail = (): ReturnType<typeof cold<BackendEvent<Pool>>> => cold<BackendEvent<Pool>>('#', undefined, new UnavailableError('refused'));
      const streams = [fail(), fail(), fail(), fail(), fail()];
      resumableWatch(scripted(streams).open, fixed(100, { maxDelay: 250 })).subscribe();
      // Delays 100, 200, 250, 250.
      expectSubscriptions(streams[0]!.subscriptions).toBe('(^!)');
      expectSubscriptions(streams[1]!.subscriptions).toBe('100ms (^!)');
      expectSubscriptions(streams[2]!.subscriptions).toBe('300ms (^!)');
      expectSubscriptions(streams[3]!.subscriptions).toBe('550ms (^!)');
      expectSubscriptions(streams[4]!.subscriptions).toBe('800ms (^!)');
    });
  });

  it('uses the same backoff for streams that end without events', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectSubscriptions }) => {
      const streams = [cold<BackendEvent<Pool>>('|'), cold<BackendEvent<Pool>>('|'), cold<BackendEvent<Pool>>('|')];
      resumableWatch(scripted(streams).open, fixed(10)).subscribe();
      expectSubscriptions(streams[1]!.subscriptions).toBe('10ms (^!)');
      expectSubscriptions(streams[2]!.subscriptions).toBe('30ms (^!)');
    });
  });

  it('starts again from the initial delay after an event', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectSubscriptions }) => {
      const err = new UnavailableError('refused');
      const streams = [
        cold<BackendEvent<Pool>>('#', undefined, err),
        cold<BackendEvent<Pool>>('#', undefined, err),
        cold<BackendEvent<Pool>>('a#', ev, err),
        cold<BackendEvent<Pool>>('#', undefined, err),
      ];
      resumableWatch(scripted(streams).open, fixed(10)).subscribe();
      // 0 → +10 → 10 → +20 → 30: event at 30, error at 31 → +10 → 41.
      expectSubscriptions(streams[2]!.subscriptions).toBe('30ms ^!');
      expectSubscriptions(streams[3]!.subscriptions).toBe('41ms (^!)');
    });
  });

  it('applies full jitter: a fraction of the capped delay given by the random source', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectSubscriptions }) => {
      const err = new UnavailableError('refused');
      const streams = [cold<BackendEvent<Pool>>('#', undefined, err), cold<BackendEvent<Pool>>('#', undefined, err), cold<BackendEvent<Pool>>('-')];
      const randoms = [0.5, 0.25];
      resumableWatch(scripted(streams).open, { backoff: { initialDelay: 100, random: () => randoms.shift() ?? 0 } }).subscribe();
      // 0.5 × 100 = 50; 0.25 × 200 = 50.
      expectSubscriptions(streams[1]!.subscriptions).toBe('50ms (^!)');
      expectSubscriptions(streams[2]!.subscriptions).toBe('100ms ^');
    });
  });

  it('defaults to 1 s doubling to 30 s', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectSubscriptions }) => {
      const streams = Array.from({ length: 8 }, () => cold<BackendEvent<Pool>>('#', undefined, new UnavailableError('refused')));
      resumableWatch(scripted(streams).open, { backoff: { jitter: 'none' } }).subscribe();
      // 1, 2, 4, 8, 16, 30, 30 seconds.
      const starts = [0, 1000, 3000, 7000, 15_000, 31_000, 61_000, 91_000];
      starts.forEach((t, i) => expectSubscriptions(streams[i]!.subscriptions).toBe(t === 0 ? '(^!)' : `${t}ms (^!)`));
    });
  });
});

describe('resumableWatch: Expired and fatal errors', () => {
  it('emits an Expired ERROR event, completes and opens nothing more', () => {
    const ts = testScheduler();
    const expired = errorEvent(new ExpiredError('compacted'));
    const { calls } = ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s1 = cold<BackendEvent<Pool>>('-ax-b', { ...ev, x: expired });
      const script = scripted([s1]);
      expectObservable(resumableWatch(script.open, fixed(1))).toBe('-a(x|)', { ...ev, x: expired });
      expectSubscriptions(s1.subscriptions).toBe('^-!');
      return script;
    });
    expect(calls).toEqual([undefined]);
  });

  it('turns an ExpiredError raised when opening into an ERROR event and completes', () => {
    const ts = testScheduler();
    const error = new ExpiredError('too old resource version');
    ts.run(({ cold, expectObservable }) => {
      const s1 = cold<BackendEvent<Pool>>('-a|', ev);
      const s2 = cold<BackendEvent<Pool>>('#', undefined, error);
      expectObservable(resumableWatch(scripted([s1, s2]).open, fixed(1))).toBe('-a-(x|)', { ...ev, x: errorEvent(error) });
    });
  });

  it.each([
    ['Unauthorized', new UnauthorizedError()],
    ['NotSupported', new NotSupportedError('Watch')],
    ['Validation', new ValidationError([{ path: 'labelSelector', type: 'invalid', message: 'bad' }])],
    ['a plain Error (a bug)', new TypeError('x is undefined')],
  ])('propagates %s raised by the stream as an error, without retrying', (_name, error) => {
    const ts = testScheduler();
    const { calls } = ts.run(({ cold, expectObservable }) => {
      const script = scripted([cold<BackendEvent<Pool>>('-a#', ev, error)]);
      expectObservable(resumableWatch(script.open, fixed(1))).toBe('-a#', ev, error);
      return script;
    });
    expect(calls).toEqual([undefined]);
  });

  it('propagates a fatal error carried by an ERROR event', () => {
    const ts = testScheduler();
    const error = new UnauthorizedError('token expired');
    ts.run(({ cold, expectObservable }) => {
      expectObservable(resumableWatch(scripted([cold<BackendEvent<Pool>>('-e', { e: errorEvent(error) })]).open, fixed(1))).toBe('-#', undefined, error);
    });
  });

  it('propagates an error thrown synchronously by open', () => {
    const error = new UnauthorizedError();
    const seen: unknown[] = [];
    resumableWatch<Pool>(() => {
      throw error;
    }, fixed(1)).subscribe({ error: (e: unknown) => seen.push(e) });
    expect(seen).toEqual([error]);
  });

  it('passes Parse ERROR events through and keeps the stream', () => {
    const ts = testScheduler();
    const parse = errorEvent(new ParseError('/calico/resources/v3/projectcalico.org/ippools/x'));
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const s1 = cold<BackendEvent<Pool>>('-apb', { ...ev, p: parse });
      expectObservable(resumableWatch(scripted([s1]).open, fixed(1)), '^ 9ms !').toBe('-apb', { ...ev, p: parse });
      expectSubscriptions(s1.subscriptions).toBe('^ 9ms !');
    });
  });

  it('honours a custom isTransient', () => {
    const ts = testScheduler();
    const notFound = new NotFoundError({ kind: 'IPPool', name: 'x' });
    ts.run(({ cold, expectObservable }) => {
      const out = resumableWatch(scripted([cold<BackendEvent<Pool>>('-#', undefined, notFound)]).open, { ...fixed(1), isTransient: () => false });
      expectObservable(out).toBe('-#', undefined, notFound);
    });
  });

  it('gives up after maxFailuresPerRevision failures in a row with an Expired ERROR event naming the revision', () => {
    const ts = testScheduler();
    const err = new UnavailableError('refused');
    const values: BackendEvent<Pool>[] = [];
    ts.run(({ cold, expectSubscriptions }) => {
      const streams = [cold<BackendEvent<Pool>>('a#', ev, err), cold<BackendEvent<Pool>>('#', undefined, err), cold<BackendEvent<Pool>>('#', undefined, err), cold<BackendEvent<Pool>>('-')];
      resumableWatch(scripted(streams).open, { ...fixed(10), maxFailuresPerRevision: 3 }).subscribe((e) => values.push(e));
      expectSubscriptions(streams[2]!.subscriptions).toBe('31ms (^!)');
      expectSubscriptions(streams[3]!.subscriptions).toBe([]);
    });
    expect(values).toHaveLength(2);
    const last = values[1];
    expect(last?.type === 'ERROR' && isExpired(last.error)).toBe(true);
    expect(last?.type === 'ERROR' ? last.error.message : '').toContain('revision 1');
    expect(last?.type === 'ERROR' ? last.error.cause : undefined).toBe(err);
  });
});

describe('resumableWatch: teardown', () => {
  it('unsubscribing closes the open stream', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectSubscriptions }) => {
      const s1 = cold<BackendEvent<Pool>>('-a-b-c', ev);
      const sub = resumableWatch(scripted([s1]).open, fixed(1)).subscribe();
      ts.schedule(() => sub.unsubscribe(), 3);
      expectSubscriptions(s1.subscriptions).toBe('^--!');
    });
  });

  it('unsubscribing during the backoff opens nothing more', () => {
    const ts = testScheduler();
    const { calls } = ts.run(({ cold }) => {
      const script = scripted([cold<BackendEvent<Pool>>('a|', ev), cold<BackendEvent<Pool>>('b', ev)]);
      const sub = resumableWatch(script.open, fixed(50)).subscribe();
      ts.schedule(() => sub.unsubscribe(), 20);
      return script;
    });
    expect(calls).toEqual([undefined]);
  });

  it('rejects out-of-range options', () => {
    const open = (): Observable<BackendEvent<Pool>> => NEVER;
    expect(() => resumableWatch(open, { backoff: { initialDelay: -1 } })).toThrow(/backoff\.initialDelay/);
    expect(() => resumableWatch(open, { backoff: { factor: 0.5 } })).toThrow(/backoff\.factor/);
    expect(() => resumableWatch(open, { maxFailuresPerRevision: 0 })).toThrow(/maxFailuresPerRevision/);
  });
});
