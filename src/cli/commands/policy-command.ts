/**
 * `policy explain` and `policy matrix`: verdicts with Felix's semantics, from the datastore or
 * from `-f` files.
 *
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UsageError, type CommandBody, type CommandInput } from '../command.js';
import { inputSources } from '../input/input-sources.js';
import { explainFlow, type Flow, type FlowPeer } from '../../policy/explain.js';
import { createPolicyView, type PolicyView } from '../../policy/view.js';
import type { AnyResource } from '../../policy/view-types.js';
import { renderExplainTable, renderMatrixHtml, renderMatrixSvg, renderMatrixTable, type Matrix } from '../output/policy-render.js';
import { booleanFlag, openOrReport, stringFlag, withSession } from './command-support.js';
import { describeError } from '../describe-error.js';

/** Kinds read generically from the backend in addition to the client's typed kinds. */
const EXTRA_KINDS = ['Profile', 'HostEndpoint', 'NetworkSet', 'GlobalNetworkSet', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy'];

function flatten(doc: unknown, out: AnyResource[]): void {
  if (!doc || typeof doc !== 'object') return;
  const d = doc as AnyResource & { items?: unknown[] };
  if (Array.isArray(d.items) && (d.kind === undefined || d.kind.endsWith('List'))) for (const i of d.items) flatten(i, out);
  else out.push(d);
}

async function fromFiles(input: CommandInput, filename: string): Promise<AnyResource[]> {
  const { sources } = await inputSources(filename, booleanFlag(input, 'recursive'), input.io);
  const out: AnyResource[] = [];
  for (const s of sources) for (const doc of parseAllDocuments(await s.read())) flatten(doc.toJS(), out);
  return out;
}

async function fromDatastore(input: CommandInput): Promise<AnyResource[] | undefined> {
  const session = openOrReport(input);
  if (!session) return undefined;
  return withSession(session, async (s) => {
    const c = s.client;
    const lists = await Promise.all([c.workloadEndpoints.list(), c.networkPolicies.list(), c.globalNetworkPolicies.list(), c.tiers.list()]);
    const out: AnyResource[] = lists.flatMap((l) => l.items as AnyResource[]);
    const k8s = await c.kubernetesNetworkPolicies.list().catch(() => undefined);
    if (k8s) out.push(...k8s.items.map((p) => ({ ...p, kind: 'KubernetesNetworkPolicy' })));
    const backend = await c.backend();
    for (const kind of EXTRA_KINDS) {
      const l = await backend.list({ kind }).catch(() => undefined);
      if (l) out.push(...l.items.map((kv) => kv.value as AnyResource));
    }
    return out;
  });
}

async function loadView(input: CommandInput): Promise<PolicyView | undefined> {
  const filename = stringFlag(input, 'filename');
  const resources = filename !== undefined ? await fromFiles(input, filename) : await fromDatastore(input);
  return resources ? createPolicyView(resources) : undefined;
}

function peer(text: string): FlowPeer {
  return /^[0-9a-fA-F:.]+$/.test(text) ? { ip: text } : text;
}

function portFlag(input: CommandInput): number | undefined {
  const p = stringFlag(input, 'port');
  if (p === undefined) return undefined;
  if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 65535) throw new UsageError(`invalid --port "${p}": must be 1-65535`);
  return Number(p);
}

function baseFlow(input: CommandInput): Omit<Flow, 'source' | 'destination'> {
  const port = portFlag(input);
  return { protocol: stringFlag(input, 'protocol') ?? 'TCP', ...(port !== undefined ? { port } : {}) };
}

async function guarded(input: CommandInput, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    input.io.stderr(`failed to execute command: ${describeError(e, input.debug)}\n`);
    return 1;
  }
}

/** `policy explain --from A --to B [--protocol P] [--port N] [-o table|json] [-f FILE]`. */
export const runPolicyExplain: CommandBody = async (input) => {
  const from = stringFlag(input, 'from');
  const to = stringFlag(input, 'to');
  if (!from || !to) throw new UsageError('required flags "--from" and "--to" not set');
  const output = stringFlag(input, 'output') ?? 'table';
  if (output !== 'table' && output !== 'json') throw new UsageError(`unknown output format "${output}": table or json`);
  const flow = baseFlow(input);
  return guarded(input, async () => {
    const view = await loadView(input);
    if (!view) return 1;
    const r = explainFlow(view, { ...flow, source: peer(from), destination: peer(to) });
    input.io.stdout(output === 'json' ? `${JSON.stringify(r, null, 2)}\n` : renderExplainTable(r));
    return 0;
  });
};

/** `policy matrix [-n NS[,NS…]] [--protocol P] [--port N] [-o table|json|html|svg] [--out FILE] [-f FILE]`. */
export const runPolicyMatrix: CommandBody = async (input) => {
  const output = stringFlag(input, 'output') ?? 'table';
  if (!['table', 'json', 'html', 'svg'].includes(output)) throw new UsageError(`unknown output format "${output}": table, json, html or svg`);
  const namespaces = (stringFlag(input, 'namespace') ?? '').split(',').filter((n) => n !== '');
  const flow = baseFlow(input);
  return guarded(input, async () => {
    const view = await loadView(input);
    if (!view) return 1;
    const eps = view.endpoints().filter((e) => e.kind === 'WorkloadEndpoint' && (namespaces.length === 0 || namespaces.includes(e.namespace)));
    eps.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const labels = eps.map((e) => `${e.namespace}/${e.pod ?? e.name}`);
    const cells = eps.map((s) =>
      eps.map((d) => {
        const r = explainFlow(view, { ...flow, source: s.key, destination: d.key });
        return { verdict: r.verdict, decidedBy: r.decidedBy };
      }),
    );
    const m: Matrix = { labels, cells, flow: `${flow.protocol}${flow.port !== undefined ? `/${flow.port}` : ''}` };
    const text = output === 'json' ? `${JSON.stringify(m, null, 2)}\n` : output === 'html' ? renderMatrixHtml(m) : output === 'svg' ? renderMatrixSvg(m) : renderMatrixTable(m);
    const out = stringFlag(input, 'out');
    if (out !== undefined) await writeFile(resolve(input.io.cwd, out), text);
    else input.io.stdout(text);
    return 0;
  });
};
