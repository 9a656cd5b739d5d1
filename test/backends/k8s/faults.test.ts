/**
 * Failures on the wire and how the Kubernetes backend reports them (backends spec §1.5, §3.10,
 * §3.11): connection resets mid-watch, in-stream and up-front 410s, an in-stream ERROR on a
 * connection the server keeps open, expired continue tokens, 409, 422, 401/403, 5xx, refused
 * connections, timeouts, bookmarks, idle streams and undecodable objects.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, BackendEvent, KVPair, ResourceObject } from '../../../src/backends/backend.js';
import { createKubernetesBackend } from '../../../src/backends/k8s/index.js';
import { isAlreadyExists, isConflict, isExpired, isParseError, isUnauthorized, isUnavailable, isValidationError, type ValidationError } from '../../../src/errors.js';
import { pollUntil } from '../../../src/testing/conformance/context.js';
import { describeEvent, openTap } from '../../../src/testing/conformance/stream.js';
import { startHarness, startProxy, statusBody, type Harness, type Proxy } from './helpers.js';

const V1 = 'crd.projectcalico.org/v1';
type Spec = Record<string, unknown>;

const gnp = (name: string, order = 1): ResourceObject => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'GlobalNetworkPolicy',
  metadata: { name, uid: randomUUID() },
  spec: { tier: 'default', order, selector: 'all()', types: ['Ingress'] },
});
const pool = (name: string, cidr = '10.30.0.0/16'): ResourceObject => ({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name }, spec: { cidr, blockSize: 26, nodeSelector: 'all()' } });
const rejection = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);
const watchRequests = (h: Harness) => h.server.requests.filter((r) => r.verb === 'watch');

let h: Harness;
let b: Backend;
beforeEach(async () => {
  h = await startHarness();
  b = await h.backend();
});
afterEach(async () => {
  await h.close();
});

describe('watch streams', () => {
  it('a connection reset mid-watch is reopened from the last revision: nothing lost or repeated', async () => {
    const events = openTap(b.watch({ kind: 'GlobalNetworkPolicy' }));
    try {
      const before: KVPair[] = [];
      for (const i of [1, 2]) before.push(await b.create({ key: { kind: 'GlobalNetworkPolicy', name: `a${i}` }, value: gnp(`a${i}`) }));
      expect((await events.take(2)).map((e) => (e.type === 'ADDED' ? e.revision : ''))).toEqual(before.map((p) => p.revision));
      expect(h.server.faults.dropWatches({ resource: 'globalnetworkpolicies' })).toBe(1);
      const after: KVPair[] = [];
      for (const i of [3, 4]) after.push(await b.create({ key: { kind: 'GlobalNetworkPolicy', name: `a${i}` }, value: gnp(`a${i}`) }));
      const got = await events.take(2);
      expect(got.map(describeEvent)).toEqual(['ADDED a3', 'ADDED a4']);
      expect(got.map((e) => (e.type === 'ADDED' ? e.revision : ''))).toEqual(after.map((p) => p.revision));
      const watches = watchRequests(h);
      expect(watches).toHaveLength(2);
      expect(watches[1]?.query.resourceVersion).toBe(before[1]?.revision);
      expect(events.closed).toBe(false);
    } finally {
      events.close();
    }
  });

  it('gives up with UnavailableError after the configured reconnection attempts', async () => {
    const fragile = await h.backend({ watchReconnectAttempts: 2, watchReconnectDelayMs: 5 });
    const events = openTap(fragile.watch({ kind: 'GlobalNetworkPolicy', revision: h.server.store.resourceVersion() }));
    await pollUntil(() => Promise.resolve(h.server.openWatches()), (n) => n === 1);
    h.server.faults.resetNext({ match: { verb: 'watch' }, times: 10 });
    h.server.faults.dropWatches();
    expect(await events.ended()).toBe('error');
    expect(isUnavailable(events.error)).toBe(true);
    expect(watchRequests(h).length).toBe(3);
  });

  it('an in-stream 410 is one ERROR Expired event, then the end', async () => {
    const events = openTap(b.watch({ kind: 'GlobalNetworkPolicy', revision: h.server.store.resourceVersion() }));
    await pollUntil(() => Promise.resolve(h.server.openWatches()), (n) => n === 1);
    expect(h.server.faults.expireWatches()).toBe(1);
    const e = await events.next();
    expect(e.type === 'ERROR' && isExpired(e.error)).toBe(true);
    expect(await events.ended()).toBe('complete');
    expect(watchRequests(h)).toHaveLength(1);
  });

  it('a clean end by the server completes the watch', async () => {
    const events = openTap(b.watch({ kind: 'GlobalNetworkPolicy', revision: h.server.store.resourceVersion() }));
    await pollUntil(() => Promise.resolve(h.server.openWatches()), (n) => n === 1);
    h.server.faults.endWatches();
    expect(await events.ended()).toBe('complete');
  });

  it('asks for bookmarks, forwards them only when allowed, and resumes from a bookmark revision', async () => {
    const withBookmarks = openTap(b.watch({ kind: 'GlobalNetworkPolicy', revision: h.server.store.resourceVersion(), allowBookmarks: true }));
    const without = openTap(b.watch({ kind: 'IPPool', revision: h.server.store.resourceVersion() }));
    try {
      await pollUntil(() => Promise.resolve(h.server.openWatches()), (n) => n === 2);
      expect(watchRequests(h).every((r) => r.query.allowWatchBookmarks === 'true')).toBe(true);
      const rv = h.server.store.advanceResourceVersion(3);
      expect(h.server.faults.sendBookmarks()).toBe(2);
      await pollUntil(() => Promise.resolve(withBookmarks.bookmarkRevisions.length), (n) => n === 1);
      expect(withBookmarks.bookmarkRevisions).toEqual([rv]);
      expect(without.bookmarkRevisions).toEqual([]);
      h.server.clearRequests();
      h.server.faults.dropWatches({ resource: 'globalnetworkpolicies' });
      await pollUntil(() => Promise.resolve(watchRequests(h).length), (n) => n === 1);
      expect(watchRequests(h)[0]?.query.resourceVersion).toBe(rv);
    } finally {
      withBookmarks.close();
      without.close();
    }
  });

  it('a stream silent past the idle timeout is reopened, and still delivers', async () => {
    const idle = await h.backend({ watchIdleTimeoutMs: 150 });
    const events = openTap(idle.watch({ kind: 'GlobalNetworkPolicy', revision: h.server.store.resourceVersion() }));
    try {
      await pollUntil(() => Promise.resolve(watchRequests(h).length), (n) => n >= 2);
      expect(watchRequests(h).length).toBeGreaterThanOrEqual(2);
      await b.create({ key: { kind: 'GlobalNetworkPolicy', name: 'late' }, value: gnp('late') });
      expect(describeEvent(await events.next())).toBe('ADDED late');
    } finally {
      events.close();
    }
  });

  it('an object that does not decode is an ERROR Parse event naming it, and the watch goes on', async () => {
    const events = openTap(b.watch({ kind: 'GlobalNetworkPolicy', revision: h.server.store.resourceVersion() }));
    try {
      h.server.store.seed({ apiVersion: V1, kind: 'GlobalNetworkPolicy', metadata: { name: 'broken', annotations: { 'projectcalico.org/metadata': '{secret' } }, spec: {} });
      const e = await events.next();
      expect(e.type === 'ERROR' && isParseError(e.error)).toBe(true);
      expect(e.type === 'ERROR' && e.error.message).toContain('globalnetworkpolicies/broken');
      expect(e.type === 'ERROR' && e.error.message).not.toContain('{secret');
      await b.create({ key: { kind: 'GlobalNetworkPolicy', name: 'fine' }, value: gnp('fine') });
      expect(describeEvent(await events.next())).toBe('ADDED fine');
      // Lists skip it and report it.
      expect((await b.list({ kind: 'GlobalNetworkPolicy' })).items.map((i) => i.key.name)).toEqual(['fine']);
      expect(h.parseErrors.map((p) => p.key)).toEqual(['/apis/crd.projectcalico.org/v1/globalnetworkpolicies/broken']);
    } finally {
      events.close();
    }
  });

  it('close() during a reconnection backoff completes the watch', async () => {
    const slow = await h.backend({ watchReconnectDelayMs: 60_000 });
    const events = openTap(slow.watch({ kind: 'GlobalNetworkPolicy', revision: h.server.store.resourceVersion() }));
    await pollUntil(() => Promise.resolve(h.server.openWatches()), (n) => n === 1);
    h.server.faults.dropWatches();
    await pollUntil(() => Promise.resolve(h.server.openWatches()), (n) => n === 0);
    await slow.close();
    expect(await events.ended()).toBe('complete');
  });
});

describe('answers a stream or request can get (own server)', () => {
  let raw: Server;
  let url: string;
  let watchAnswer: 'stuck-error' | 'gone' | 'forbidden';
  let watchClosed = false;
  beforeEach(async () => {
    watchClosed = false;
    raw = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const json = (code: number, body: unknown): void => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (u.pathname === '/apis') return json(200, { kind: 'APIGroupList', groups: [{ name: 'crd.projectcalico.org' }] });
      if (u.pathname === `/apis/${V1}`) return json(200, { kind: 'APIResourceList', resources: [{ name: 'ippools' }] });
      if (u.searchParams.get('watch') === 'true') {
        if (watchAnswer === 'gone') return json(410, statusBody(410, 'Gone', 'too old'));
        if (watchAnswer === 'forbidden') return json(403, statusBody(403, 'Forbidden', 'ippools is forbidden: User "x" cannot watch'));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(`${JSON.stringify({ type: 'ERROR', object: statusBody(500, 'InternalError', 'etcd is on fire') })}\n`);
        res.on('close', () => {
          watchClosed = true;
        });
        return undefined; // and keep the connection open
      }
      return json(200, { kind: 'IPPoolList', metadata: { resourceVersion: '5' }, items: [] });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    raw.closeAllConnections();
    await new Promise<void>((resolve) => raw.close(() => resolve()));
  });

  it('an in-stream ERROR ends the watch and closes the connection the server left open', async () => {
    watchAnswer = 'stuck-error';
    const backend = await createKubernetesBackend({ datastoreType: 'kubernetes', k8sAPIEndpoint: url });
    const events = openTap(backend.watch({ kind: 'IPPool' }));
    const e = await events.next();
    expect(e.type === 'ERROR' && isUnavailable(e.error)).toBe(true);
    expect(await events.ended()).toBe('complete');
    expect(await pollUntil(() => Promise.resolve(watchClosed), (c) => c)).toBe(true);
    await backend.close();
  });

  it('a watch refused up front with 410 is an ERROR Expired event; with 403 the watch errors Unauthorized', async () => {
    const backend = await createKubernetesBackend({ datastoreType: 'kubernetes', k8sAPIEndpoint: url });
    watchAnswer = 'gone';
    const gone = openTap(backend.watch({ kind: 'IPPool', revision: '3' }));
    const e: BackendEvent = await gone.next();
    expect(e.type === 'ERROR' && isExpired(e.error)).toBe(true);
    expect(await gone.ended()).toBe('complete');
    watchAnswer = 'forbidden';
    const forbidden = openTap(backend.watch({ kind: 'IPPool', revision: '3' }));
    expect(await forbidden.ended()).toBe('error');
    expect(isUnauthorized(forbidden.error)).toBe(true);
    await backend.close();
  });
});

describe('lists and continue tokens', () => {
  let proxy: Proxy;
  let expireContinue = false;
  beforeEach(async () => {
    expireContinue = false;
    proxy = await startProxy(h.server.url, (method, u) =>
      expireContinue && u.searchParams.has('continue') ? { code: 410, body: statusBody(410, 'Expired', 'The provided continue parameter is too old') } : undefined,
    );
    for (const i of [1, 2, 3, 4, 5]) await b.create({ key: { kind: 'GlobalNetworkPolicy', name: `p${i}` }, value: gnp(`p${i}`) });
  });
  afterEach(async () => {
    await proxy.close();
  });

  it('an internal page whose continue token expired makes the list start again once without limit', async () => {
    const paged = await createKubernetesBackend({ datastoreType: 'kubernetes', k8sAPIEndpoint: proxy.url }, { pageSize: 2 });
    expireContinue = true;
    h.server.clearRequests();
    const list = await paged.list({ kind: 'GlobalNetworkPolicy' });
    expect(list.items.map((i) => i.key.name)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(proxy.answered).toHaveLength(1);
    const lists = h.server.requests.filter((r) => r.verb === 'list' && r.resource === 'globalnetworkpolicies');
    expect(lists.map((r) => r.query.limit)).toEqual(['2', undefined]);
    await paged.close();
  });

  it("a caller's continue token that expired is Expired", async () => {
    const paged = await createKubernetesBackend({ datastoreType: 'kubernetes', k8sAPIEndpoint: proxy.url }, { pageSize: 2 });
    const first = await paged.list({ kind: 'GlobalNetworkPolicy', limit: 2 });
    expect(first.continue).toBeDefined();
    expireContinue = true;
    expect(isExpired(await rejection(paged.list({ kind: 'GlobalNetworkPolicy', limit: 2, continue: first.continue })))).toBe(true);
    await paged.close();
  });

  it('a token from another list is a validation error on continue', async () => {
    const first = await b.list({ kind: 'GlobalNetworkPolicy', limit: 2 });
    const err = await rejection(b.list({ kind: 'IPPool', limit: 2, continue: first.continue }));
    expect(isValidationError(err)).toBe(true);
    expect((err as ValidationError).errors[0]?.path).toBe('continue');
    expect(isValidationError(await rejection(b.list({ kind: 'IPPool', limit: 2, continue: 'garbage' })))).toBe(true);
  });
});

describe('HTTP answers → errors', () => {
  it('409 Conflict and AlreadyExists', async () => {
    const created = await b.create({ key: { kind: 'IPPool', name: 'p' }, value: pool('p') });
    h.server.faults.failNext(409, { match: { verb: 'update', resource: 'ippools' } });
    const conflict = await rejection(b.update(created));
    expect(isConflict(conflict)).toBe(true);
    h.server.faults.failNext(409, { match: { verb: 'create' }, reason: 'AlreadyExists', message: 'ippools "q" already exists' });
    expect(isAlreadyExists(await rejection(b.create({ key: { kind: 'IPPool', name: 'q' }, value: pool('q') })))).toBe(true);
  });

  it('422 from the CRD schema and CEL rules becomes a ValidationError with field paths and without the values sent', async () => {
    const bad = await rejection(b.create({ key: { kind: 'IPPool', name: 'bad' }, value: { ...pool('bad'), spec: { cidr: 'not-a-cidr', blockSize: 26 } } }));
    expect(isValidationError(bad)).toBe(true);
    expect((bad as ValidationError).errors.map((e) => e.path)).toContain('spec.cidr');
    expect((bad as ValidationError).message).not.toContain('not-a-cidr');
    const created = await b.create({ key: { kind: 'IPPool', name: 'p' }, value: pool('p') });
    const immutable = await rejection(b.update({ ...created, value: { ...created.value, spec: { ...(created.value.spec as Spec), blockSize: 28 } } }));
    expect(isValidationError(immutable)).toBe(true);
    expect((immutable as ValidationError).errors).toEqual([expect.objectContaining({ path: 'spec.blockSize' })]);
  });

  it('injected 422 causes keep their reason types', async () => {
    h.server.faults.failNext(422, { match: { verb: 'create' }, causes: [{ field: 'spec.nodeSelector', reason: 'FieldValueRequired', message: 'Required value' }, { field: 'metadata.name', reason: 'FieldValueTooLong', message: 'Too long: may not be more than 253 bytes' }] });
    const err = (await rejection(b.create({ key: { kind: 'IPPool', name: 'p' }, value: pool('p') }))) as ValidationError;
    expect(err.errors).toEqual([
      { path: 'spec.nodeSelector', type: 'required', message: 'Required value' },
      { path: 'metadata.name', type: 'tooLong', message: 'Too long: may not be more than 253 bytes' },
    ]);
  });

  it('401 and 403 are Unauthorized and never show the token', async () => {
    const token = 'sekret-token-value';
    const withToken = await createKubernetesBackend({ datastoreType: 'kubernetes', k8sAPIEndpoint: h.server.url, k8sAPIToken: token });
    h.server.faults.failNext(401, { match: { verb: 'list' } });
    const e401 = await rejection(withToken.list({ kind: 'IPPool' }));
    h.server.faults.failNext(403, { match: { verb: 'get' } });
    const e403 = await rejection(withToken.get({ kind: 'Node', name: 'n' }));
    for (const e of [e401, e403]) {
      expect(isUnauthorized(e)).toBe(true);
      expect(String((e as Error).message)).not.toContain(token);
    }
    expect(h.server.requests.some((r) => r.authorization)).toBe(true);
    await withToken.close();
  });

  it.each([500, 503, 429])('%i is Unavailable', async (code) => {
    h.server.faults.failNext(code, { match: { verb: 'list' } });
    const e = await rejection(b.list({ kind: 'IPPool' }));
    expect(isUnavailable(e)).toBe(true);
    expect((e as Error).message).not.toContain('"kind":"Status"');
  });

  it('a refused connection is Unavailable naming the server', async () => {
    const nowhere = await createKubernetesBackend({ datastoreType: 'kubernetes', k8sAPIEndpoint: 'http://127.0.0.1:1' });
    const e = await rejection(nowhere.get({ kind: 'Node', name: 'n' }));
    expect(isUnavailable(e)).toBe(true);
    expect((e as Error).message).toContain('http://127.0.0.1:1');
    await nowhere.close();
  });

  it('a request that takes too long is Unavailable', async () => {
    const impatient = await h.backend({ requestTimeoutMs: 100 });
    h.server.faults.delayNext(2000, { match: { verb: 'get' } });
    const e = await rejection(impatient.get({ kind: 'Node', name: 'n' }));
    expect(isUnavailable(e)).toBe(true);
    expect((e as Error).message).toContain('did not answer in time');
  });

  it('a closed backend refuses work', async () => {
    await b.close();
    expect(isUnavailable(await rejection(b.list({ kind: 'IPPool' })))).toBe(true);
    const events = openTap(b.watch({ kind: 'IPPool' }));
    expect(await events.ended()).toBe('error');
  });
});
