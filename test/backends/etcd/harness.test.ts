/**
 * The throwaway-etcd harness itself: a script that starts etcd and then dies of an exception,
 * without calling `stop()`, leaves no etcd running behind it.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}

describe('throwaway etcd harness', () => {
  it('kills etcd when the process that started it exits on an uncaught exception', async () => {
    const script = `
      const { startEtcd } = await import('./test/support/etcd-process.ts');
      const etcd = await startEtcd();
      const res = await fetch(etcd.endpoints[0] + '/health');
      console.log(JSON.stringify({ endpoint: etcd.endpoints[0], healthy: res.ok }));
      throw new Error('the script fails before stop()');`;
    let out = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? '');
    }
    const { endpoint, healthy } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { endpoint: string; healthy: boolean };
    expect(healthy).toBe(true);
    let alive = true;
    for (let i = 0; i < 40 && alive; i++) {
      alive = await answers(endpoint);
      if (alive) await new Promise((r) => setTimeout(r, 50));
    }
    expect(alive).toBe(false);
  });
});
