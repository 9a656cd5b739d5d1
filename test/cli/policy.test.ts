import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPng } from '../support/png.js';
import { tempFile } from './support/files.js';
import { runCliInProcess } from './support/run-cli.js';

const podYaml = (ns: string, pod: string, ip: string): string => `apiVersion: projectcalico.org/v3
kind: WorkloadEndpoint
metadata:
  name: node1-k8s-${pod}-eth0
  namespace: ${ns}
  labels: { pod: ${pod} }
spec: { orchestrator: k8s, node: node1, pod: ${pod}, endpoint: eth0, interfaceName: cali${pod}${ns}, ipNetworks: ['${ip}/32'] }
`;

const CLUSTER = [
  'apiVersion: v1\nkind: Namespace\nmetadata: { name: x, labels: { ns: x } }\n',
  'apiVersion: v1\nkind: Namespace\nmetadata: { name: y, labels: { ns: y } }\n',
  podYaml('x', 'a', '10.0.1.1'),
  podYaml('x', 'b', '10.0.1.2'),
  podYaml('y', 'a', '10.0.2.1'),
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: a-from-b, namespace: x }
spec:
  podSelector: { matchLabels: { pod: a } }
  ingress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }], ports: [{ port: 5432 }] }]
`,
].join('---\n');

const file = tempFile('cluster.yaml', CLUSTER);
const run = (args: string[]) => runCliInProcess(args, {});

describe('policy explain', () => {
  it('prints the trace as a table, naming the deciding policy and rule', async () => {
    const r = await run(['policy', 'explain', '-f', file, '--from', 'x/b', '--to', 'x/a', '--protocol', 'TCP', '--port', '5432']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('VERDICT:     allow');
    expect(r.stdout).toMatch(/^x\/node1-k8s-b-eth0\s+egress\s+normal\s+-\s+profile kns\.x\s+0\s+Allow$/m);
    expect(r.stdout).toMatch(/^x\/node1-k8s-a-eth0\s+ingress\s+normal\s+default\s+KubernetesNetworkPolicy x\/a-from-b\s+0\s+Allow$/m);
  });

  it('reports the end-of-tier drop of a denied flow, and -o json gives the whole trace', async () => {
    const r = await run(['policy', 'explain', '-f', file, '--from', 'y/a', '--to', 'x/a', '--port', '5432']);
    expect(r.stdout).toMatch(/^VERDICT: {5}deny$/m);
    expect(r.stdout).toMatch(/^x\/node1-k8s-a-eth0\s+ingress\s+normal\s+default\s+\(end of tier\)\s+-\s+Deny$/m);
    const j = await run(['policy', 'explain', '-f', file, '--from', 'y/a', '--to', 'x/a', '--port', '5432', '-o', 'json']);
    const parsed = JSON.parse(j.stdout) as { verdict: string; trace: { tiers: { outcome: string }[] }[] };
    expect(parsed.verdict).toBe('deny');
    expect(parsed.trace[1]?.tiers[0]?.outcome).toBe('end-of-tier-deny');
  });

  it('accepts an address as a peer and rejects an unknown endpoint naming the flag path', async () => {
    expect((await run(['policy', 'explain', '-f', file, '--from', '8.8.8.8', '--to', 'x/b', '--port', '80'])).stdout).toMatch(/^VERDICT: {5}allow$/m);
    const bad = await run(['policy', 'explain', '-f', file, '--from', 'x/nope', '--to', 'x/a']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('flow.source');
  });
});

describe('policy matrix', () => {
  it('prints the reachability matrix as a table', async () => {
    const r = await run(['policy', 'matrix', '-f', file, '-n', 'x,y', '--port', '5432']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').map((l) => l.split(/\s+/).join(' '))).toEqual([
      'FROM \\ TO (TCP/5432) x/a x/b y/a',
      'x/a deny allow allow',
      'x/b allow allow allow',
      'y/a deny allow allow',
      '',
    ]);
  });

  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  it.runIf(chromium !== undefined)('renders the HTML grid in headless Chromium with green allowed and red denied cells, and a hover title naming the policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matrix-'));
    try {
      const html = join(dir, 'matrix.html');
      const r = await run(['policy', 'matrix', '-f', file, '--port', '5432', '-o', 'html', '--out', html]);
      expect(r.code).toBe(0);
      const text = readFileSync(html, 'utf8');
      expect(text).toContain('<title>y/a → x/a: deny — x/node1-k8s-a-eth0 ingress (normal): end of tier default');
      const png = join(dir, 'shot.png');
      execFileSync(chromium as string, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, `--screenshot=${png}`, '--window-size=600,600', '--hide-scrollbars', `file://${html}`], { stdio: 'ignore', timeout: 60_000 });
      const img = readPng(png);
      // Cell (row i, column j) centre: body margin 8 + label area 160 + 28 per cell + half a cell.
      const centre = (i: number, j: number): [number, number] => [8 + 160 + j * 28 + 13, 8 + 160 + i * 28 + 13];
      const isGreen = ([r, g, b]: number[]) => (g ?? 0) > 100 && (r ?? 0) < 90 && (b ?? 0) < 90;
      const isRed = ([r, g, b]: number[]) => (r ?? 0) > 150 && (g ?? 0) < 90 && (b ?? 0) < 90;
      expect(isRed(img.pixel(...centre(0, 0)))).toBe(true); // x/a -> x/a denied
      expect(isGreen(img.pixel(...centre(1, 0)))).toBe(true); // x/b -> x/a allowed
      expect(isRed(img.pixel(...centre(2, 0)))).toBe(true); // y/a -> x/a denied
      expect(isGreen(img.pixel(...centre(2, 2)))).toBe(true); // y/a -> y/a allowed
      if (process.env.KEEP_SCREENSHOT) execFileSync('cp', [png, process.env.KEEP_SCREENSHOT]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
  if (chromium === undefined) console.warn('policy matrix: the Chromium rendering check did not run: no chromium at /usr/bin/chromium (npm test installs Debian chromium when run as root; see scripts/ensure-chromium.sh)');
});
