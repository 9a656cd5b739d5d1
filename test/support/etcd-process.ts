/**
 * Throwaway etcd servers for tests: one member or a three-member cluster on 127.0.0.1, with
 * optional TLS (client certificates) and a data directory on tmpfs when there is one.
 *
 * Members are started from the Debian `etcd-server` binary (`/usr/bin/etcd`). When it is missing
 * every helper rejects with a message naming the package, so suites fail instead of skipping.
 * Members are stopped with SIGKILL (a cluster member asked to stop with SIGTERM can linger for
 * seconds) and their data directories removed.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';

/** Where the binary comes from; the message every failure to find it carries. */
export const ETCD_MISSING_MESSAGE =
  'etcd was not found on PATH or at /usr/bin/etcd: install the Debian package etcd-server (apt-get install -y etcd-server etcd-client)';

/**
 * Finds the etcd binary: `$ETCD_BINARY`, then `etcd` on the search path, then the fallback.
 *
 * @param searchPath Directories to search, `:`-separated.
 * @param fallback Where the Debian package puts it.
 * @return The binary's path.
 * @throws Error with {@link ETCD_MISSING_MESSAGE} when there is none.
 */
export function etcdBinary(searchPath = process.env.PATH ?? '', fallback = '/usr/bin/etcd'): string {
  const fromEnv = process.env.ETCD_BINARY;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const dir of searchPath.split(':')) {
    if (dir && existsSync(join(dir, 'etcd'))) return join(dir, 'etcd');
  }
  if (existsSync(fallback)) return fallback;
  throw new Error(ETCD_MISSING_MESSAGE);
}

/** A free TCP port on 127.0.0.1 (released before returning; a tiny race is accepted). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Server-side TLS material (file paths) for a member. */
export interface EtcdServerTls {
  /** Server certificate (PEM file). */
  certFile: string;
  /** Server key (PEM file). */
  keyFile: string;
  /** CA that signs client certificates (PEM file). */
  trustedCaFile: string;
  /**
   * Require client certificates.
   * @default true
   */
  clientCertAuth?: boolean;
}

/** Options of {@link startEtcd} and {@link startEtcdCluster}. */
export interface StartEtcdOptions {
  /** Serve clients over TLS. */
  tls?: EtcdServerTls;
  /** Extra command-line flags for every member. */
  extraArgs?: string[];
  /**
   * Raft heartbeat interval in ms.
   * @default 10
   */
  heartbeatMs?: number;
  /**
   * Raft election timeout in ms.
   * @default 100
   */
  electionMs?: number;
}

/** One running member. */
export interface EtcdMember {
  /** Member name (`m1`…). */
  readonly name: string;
  /** Client URL, `http(s)://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** True while the process runs. */
  running(): boolean;
  /** SIGKILLs the process (data dir kept, so it can be restarted). */
  kill(): Promise<void>;
  /** Starts the member again on its data dir; resolves when it answers /health. */
  restart(): Promise<void>;
}

/** A running single member or cluster. */
export interface EtcdHandle {
  /** Client URLs of every member. */
  readonly endpoints: string[];
  /** The members. */
  readonly members: EtcdMember[];
  /** Kills every member and removes the data directories. */
  stop(): Promise<void>;
}

function tmpRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function healthy(endpoint: string, tls: EtcdServerTls | undefined, ca?: Buffer, cert?: Buffer, key?: Buffer): Promise<boolean> {
  if (!tls) {
    try {
      const r = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
      // 3.4 answers {"health":"true"} once the member has a leader
      return r.ok && ((await r.json()) as { health?: string }).health === 'true';
    } catch {
      return false;
    }
  }
  return new Promise((resolve) => {
    const req = httpsRequest(`${endpoint}/health`, { ca, cert, key, timeout: 1000, rejectUnauthorized: true }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"true"')));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** Client-side material used only by the health probe of a TLS member. */
export interface HealthProbeTls {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

interface MemberSpec {
  name: string;
  client: number;
  peer: number;
  dir: string;
  cluster: string;
  token: string;
}

function memberArgs(m: MemberSpec, scheme: string, o: StartEtcdOptions): string[] {
  const c = `${scheme}://127.0.0.1:${m.client}`;
  const p = `http://127.0.0.1:${m.peer}`;
  const args = [
    '--name', m.name, '--data-dir', m.dir,
    '--listen-client-urls', c, '--advertise-client-urls', c,
    '--listen-peer-urls', p, '--initial-advertise-peer-urls', p,
    '--initial-cluster', m.cluster, '--initial-cluster-state', 'new', '--initial-cluster-token', m.token,
    '--heartbeat-interval', String(o.heartbeatMs ?? 10), '--election-timeout', String(o.electionMs ?? 100),
    '--logger', 'zap', '--log-level', 'error',
  ];
  if (o.tls) {
    args.push('--cert-file', o.tls.certFile, '--key-file', o.tls.keyFile, '--trusted-ca-file', o.tls.trustedCaFile);
    if (o.tls.clientCertAuth ?? true) args.push('--client-cert-auth');
  }
  args.push(...(o.extraArgs ?? []));
  return args;
}

/** Members still running and data dirs not yet removed, cleaned up if the process exits without `stop()`. */
const leftovers = { children: new Set<ChildProcess>(), dirs: new Set<string>() };
let exitHookInstalled = false;

/**
 * A script that throws before calling `stop()` would otherwise leave etcd running with its data
 * dir on tmpfs (memory) behind: kill and remove them when the process exits, however it exits
 * short of SIGKILL.
 */
function cleanUpAtExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of leftovers.children) child.kill('SIGKILL');
    for (const dir of leftovers.dirs) rmSync(dir, { recursive: true, force: true });
  });
}

function launch(bin: string, m: MemberSpec, scheme: string, o: StartEtcdOptions, probe: HealthProbeTls | undefined): EtcdMember & { wait(): Promise<void> } {
  const endpoint = `${scheme}://127.0.0.1:${m.client}`;
  let child: ChildProcess | undefined;
  let stderr = '';
  const start = (): void => {
    stderr = '';
    const spawned = spawn(bin, memberArgs(m, scheme, o), { stdio: ['ignore', 'ignore', 'pipe'] });
    child = spawned;
    leftovers.children.add(spawned);
    spawned.once('exit', () => leftovers.children.delete(spawned));
    child.stderr?.on('data', (b: Buffer) => {
      if (stderr.length < 8000) stderr += b.toString();
    });
  };
  const wait = async (): Promise<void> => {
    for (const deadline = Date.now() + 20_000; ;) {
      if (!child || child.exitCode !== null) throw new Error(`etcd member ${m.name} exited early: ${stderr.slice(0, 2000)}`);
      if (await healthy(endpoint, o.tls, probe?.ca, probe?.cert, probe?.key)) return;
      if (Date.now() > deadline) throw new Error(`etcd member ${m.name} not healthy in 20 s: ${stderr.slice(0, 2000)}`);
      await sleep(25);
    }
  };
  const kill = async (): Promise<void> => {
    const c = child;
    if (c && c.exitCode === null && c.signalCode === null) {
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    }
  };
  start();
  return {
    name: m.name,
    endpoint,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    kill,
    async restart() {
      await kill();
      start();
      await wait();
    },
    wait,
  };
}

async function startMembers(count: number, o: StartEtcdOptions, probe?: HealthProbeTls): Promise<EtcdHandle> {
  const bin = etcdBinary();
  cleanUpAtExit();
  const root = await mkdtemp(join(tmpRoot(), 'calico-etcd-test-'));
  leftovers.dirs.add(root);
  const specs: Omit<MemberSpec, 'cluster'>[] = [];
  const token = `t-${process.pid}-${Math.random().toString(36).slice(2)}`;
  for (let i = 1; i <= count; i++) {
    specs.push({ name: `m${i}`, client: await freePort(), peer: await freePort(), dir: join(root, `m${i}`), token });
  }
  const cluster = specs.map((s) => `${s.name}=http://127.0.0.1:${s.peer}`).join(',');
  const scheme = o.tls ? 'https' : 'http';
  const members = specs.map((s) => launch(bin, { ...s, cluster }, scheme, o, probe));
  const stop = async (): Promise<void> => {
    await Promise.all(members.map((m) => m.kill()));
    await rm(root, { recursive: true, force: true });
    leftovers.dirs.delete(root);
  };
  try {
    await Promise.all(members.map((m) => m.wait()));
  } catch (e) {
    await stop();
    throw e;
  }
  return { endpoints: members.map((m) => m.endpoint), members, stop };
}

/**
 * Starts one throwaway member on free loopback ports with fast raft timings.
 *
 * ## Example
 * ```ts
 * const etcd = await startEtcd();
 * afterAll(() => etcd.stop());
 * const backend = await createEtcdBackend({ endpoints: etcd.endpoints });
 * ```
 * @param options TLS and extra flags.
 * @param probe Client material for the TLS health probe.
 * @return The running member.
 */
export function startEtcd(options: StartEtcdOptions = {}, probe?: HealthProbeTls): Promise<EtcdHandle> {
  return startMembers(1, options, probe);
}

/**
 * Starts a three-member cluster on loopback (healthy in about 1–2 s).
 *
 * @param options TLS and extra flags.
 * @return The running cluster.
 */
export function startEtcdCluster(options: StartEtcdOptions = {}): Promise<EtcdHandle> {
  return startMembers(3, options);
}
