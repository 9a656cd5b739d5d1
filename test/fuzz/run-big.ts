/**
 * The big public-API fuzz runs (`npm run fuzz`): 100,000 generated calls on the memory backend
 * and 100,000 on a throwaway etcd, with the figures docs/testing.md quotes.
 *
 *   npm run fuzz                          # both backends, 100,000 calls each, seed 17
 *   FUZZ_CALLS=20000 FUZZ_SEED=3 FUZZ_BACKENDS=memory npm run fuzz
 *
 * Exits non-zero when any call threw an untyped error, wrote on failure or touched
 * Object.prototype.
 */
import { createClient } from '../../src/index.js';
import { startEtcd } from '../support/etcd-process.js';
import { generatedCalls, newTally, prepareTarget, runCalls, type FuzzTally, type FuzzTarget } from './public-api-calls.js';

const CALLS = Number(process.env.FUZZ_CALLS ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 17);
const BACKENDS = (process.env.FUZZ_BACKENDS ?? 'memory,etcd').split(',');

function report(name: string, tally: FuzzTally, seconds: number): boolean {
  const typed = Object.values(tally.typed).reduce((a, b) => a + b, 0);
  const codes = Object.entries(tally.typed)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  console.log(`${name}: ${tally.calls} calls in ${seconds.toFixed(1)} s — ${tally.ok} succeeded, ${typed} typed errors (${codes}), ${tally.untyped.length} untyped errors, ${tally.writesOnFailure.length} writes on failure, ${tally.prototypeTouched.length} prototype changes`);
  for (const u of tally.untyped.slice(0, 20)) console.log(`  untyped ${u.op}: ${u.error}\n    input: ${u.input}`);
  for (const w of tally.writesOnFailure.slice(0, 20)) console.log(`  write on failure ${w.op}: revision ${w.before} → ${w.after}\n    input: ${w.input}`);
  if (process.env.FUZZ_TIMES) console.log(Object.entries(tally.timeByOp).sort(([, a], [, b]) => b - a).slice(0, 12).map(([op, ms]) => `  ${op} ${ms.toFixed(0)} ms`).join('\n'));
  for (const p of tally.prototypeTouched.slice(0, 5)) console.log(`  prototype touched: ${p}`);
  return tally.untyped.length === 0 && tally.writesOnFailure.length === 0 && tally.prototypeTouched.length === 0;
}

async function fuzz(target: FuzzTarget): Promise<boolean> {
  await prepareTarget(target);
  const tally = newTally();
  const start = process.hrtime.bigint();
  await runCalls(target, generatedCalls(SEED, CALLS), tally);
  return report(target.name, tally, Number(process.hrtime.bigint() - start) / 1e9);
}

let clean = true;
console.log(`public-API fuzz: ${CALLS} calls per backend, seed ${SEED}`);
if (BACKENDS.includes('memory')) {
  const client = createClient({ datastoreType: 'memory', ipPoolDeleteDelayMs: 0 });
  clean = (await fuzz({ name: 'memory', client, settleMs: 1 })) && clean;
  await client.close();
}
if (BACKENDS.includes('etcd')) {
  const etcd = await startEtcd();
  const client = createClient({ datastoreType: 'etcdv3', etcdEndpoints: etcd.endpoints, ipPoolDeleteDelayMs: 0 });
  try {
    clean = (await fuzz({ name: 'etcd', client, settleMs: 5 })) && clean;
  } finally {
    await client.close();
    await etcd.stop();
  }
}
process.exitCode = clean ? 0 : 1;
