/**
 * etcd watch behaviour beyond the conformance suite, with connection faults injected by a TCP
 * proxy between the backend and etcd: reconnects lose and repeat nothing, compaction while the
 * stream is down ends it with Expired, progress notifications keep an idle watch resumable, and a
 * future revision is Expired.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, BackendEvent } from '../../../src/backends/backend.js';
import { createEtcdBackend } from '../../../src/backends/etcdv2/index.js';
import { isExpired } from '../../../src/errors.js';
import { compactNow, serverWatcherCount } from '../../support/etcd-admin.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { ipPool, PREFIX, tap, unique, useEtcd } from './helpers.js';

// Progress notifications every second, so idle watches learn the current revision.
const fx = useEtcd({ extraArgs: ['--experimental-watch-progress-notify-interval', '1s'] });

async function viaProxy(): Promise<{ proxy: TcpProxy; backend: Backend; close(): Promise<void> }> {
  const member = new URL(fx.etcd().endpoints[0] as string);
  const proxy = await startTcpProxy(Number(member.port));
  const backend = await createEtcdBackend({ endpoints: [`http://${proxy.address}`], callTimeoutMs: 500 });
  return {
    proxy,
    backend,
    async close() {
      await backend.close();
      await proxy.close();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const revisionsOf = (events: BackendEvent[]): string[] => events.flatMap((e) => (e.type === 'ERROR' || e.type === 'BOOKMARK' ? [] : [e.revision]));

describe('watch over a faulty connection', () => {
  it('connection cuts during a stream of writes lose and repeat nothing', async () => {
    const { proxy, backend, close } = await viaProxy();
    try {
      const base = unique('cut');
      const listed = await backend.list({ kind: 'IPPool', name: base, namePrefix: true });
      const events = tap(backend.watch({ kind: 'IPPool', name: base, namePrefix: true, revision: listed.revision }));
      const written: string[] = [];
      const writer = (async () => {
        for (let i = 0; i < 300; i++) {
          const put = await fx.raw().put(`${PREFIX}ippools/${base}-${i % 7}`).value(JSON.stringify(ipPool(`${base}-${i % 7}`, `10.${i % 250}.0.0/16`)));
          written.push(put.header.revision);
          if (i % 10 === 0) await sleep(5);
        }
      })();
      for (let cut = 0; cut < 6; cut++) {
        await sleep(60);
        proxy.cutAll();
      }
      await writer;
      await events.until((evs) => evs.length >= written.length, 1000);
      events.stop();
      expect(events.events.filter((e) => e.type === 'ERROR')).toEqual([]);
      expect(revisionsOf(events.events)).toEqual(written);
      expect(events.events.map((e) => e.type)).toEqual(written.map((_, i) => (i < 7 ? 'ADDED' : 'MODIFIED')));
      expect(proxy.connections()).toBeGreaterThan(1);
    } finally {
      await close();
    }
  });

  it('compaction past the resume point while disconnected ends the watch with one ERROR Expired', async () => {
    const { proxy, backend, close } = await viaProxy();
    try {
      const base = unique('cmp');
      const first = await backend.create({ key: { kind: 'IPPool', name: `${base}-a` }, value: ipPool(`${base}-a`) });
      const events = tap(backend.watch({ kind: 'IPPool', name: base, namePrefix: true }));
      await events.until((evs) => evs.length >= 1);
      proxy.setRefusing(true);
      proxy.cutAll();
      for (let i = 0; i < 3; i++) await fx.raw().put(`${PREFIX}ippools/${base}-${i}`).value(JSON.stringify(ipPool(`${base}-${i}`)));
      await compactNow(fx.raw());
      proxy.setRefusing(false);
      await events.until(() => events.done(), 1000);
      expect(events.events.map((e) => e.type)).toEqual(['ADDED', 'ERROR']);
      expect(events.events[0]?.type === 'ADDED' && events.events[0].object.revision).toBe(first.revision);
      const last = events.events[1];
      expect(last?.type === 'ERROR' && isExpired(last.error)).toBe(true);
      expect(events.done()).toBe(true);
      expect(events.error()).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('an idle watch advanced by progress notifications resumes after compaction of older revisions', async () => {
    const { proxy, backend, close } = await viaProxy();
    try {
      const base = unique('idle');
      const listed = await backend.list({ kind: 'IPPool', name: base, namePrefix: true });
      const events = tap(backend.watch({ kind: 'IPPool', name: base, namePrefix: true, revision: listed.revision }));
      // Unrelated writes move the store past the watch's start revision.
      for (let i = 0; i < 5; i++) await fx.raw().put(`/calico-test/other/${i}`).value('x');
      await sleep(2500); // at least one progress notification (interval 1 s) reaches the idle watch
      await compactNow(fx.raw());
      proxy.cutAll();
      await sleep(300);
      const created = await backend.create({ key: { kind: 'IPPool', name: `${base}-x` }, value: ipPool(`${base}-x`) });
      await events.until((evs) => evs.length >= 1);
      events.stop();
      expect(events.events.map((e) => e.type)).toEqual(['ADDED']);
      expect(revisionsOf(events.events)).toEqual([created.revision]);
    } finally {
      await close();
    }
  });

  it('a compaction while the watch is connected and current does not end it', async () => {
    const b = await fx.backend();
    const base = unique('live');
    const events = tap(b.watch({ kind: 'IPPool', name: base, namePrefix: true }));
    await sleep(100);
    const a = await b.create({ key: { kind: 'IPPool', name: `${base}-a` }, value: ipPool(`${base}-a`) });
    await events.until((evs) => evs.length >= 1);
    await compactNow(fx.raw());
    const c = await b.create({ key: { kind: 'IPPool', name: `${base}-c` }, value: ipPool(`${base}-c`) });
    await events.until((evs) => evs.length >= 2);
    events.stop();
    expect(revisionsOf(events.events)).toEqual([a.revision, c.revision]);
  });

  it('a watch from a future revision reports ERROR Expired and ends', async () => {
    const b = await fx.backend();
    const events = tap(b.watch({ kind: 'IPPool', revision: '99999999' }));
    await events.until(() => events.done());
    expect(events.events).toHaveLength(1);
    expect(events.events[0]?.type === 'ERROR' && isExpired(events.events[0].error)).toBe(true);
  });

  it('close() ends a watch that is waiting to reconnect and releases its server watcher', async () => {
    const { proxy, backend, close } = await viaProxy();
    try {
      const before = await serverWatcherCount(fx.etcd().endpoints[0] as string);
      const events = tap(backend.watch({ kind: 'IPPool', name: unique('closing'), namePrefix: true }));
      await sleep(200);
      proxy.setRefusing(true);
      proxy.cutAll();
      await sleep(100);
      await backend.close();
      expect(events.done()).toBe(true);
      proxy.setRefusing(false);
      await sleep(200);
      // Ours was open on the server before the cut; nothing of it remains (earlier tests' cancels may still land, hence ≤).
      expect(await serverWatcherCount(fx.etcd().endpoints[0] as string)).toBeLessThanOrEqual(before);
    } finally {
      await close();
    }
  });
});
