import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { poolYaml, tempFile } from './support/files.js';

/** The CLI in this process on a fresh memory datastore, with a clock that moves a second per reading. */
async function apply(file: string, stderrIsTTY: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let clock = 0;
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => '',
    env: { DATASTORE_TYPE: 'memory', CALICO_DATASTORE_DEFAULT_CONFIG: '/nonexistent/calicoctl.cfg' },
    cwd: '/',
    stderrIsTTY,
    now: () => (clock += 1000),
  };
  const code = await runCli(['apply', '-f', file], io);
  return { code, stdout, stderr };
}

describe('apply -f of many documents', () => {
  const file = tempFile('pools.yaml', Array.from({ length: 12 }, (_, i) => poolYaml(`pool-${i}`, `10.${i}.0.0/16`)).join('---\n'));

  it('shows progress on a terminal', async () => {
    const r = await apply(file, true);
    expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 12 'IPPool' resource(s)\n" });
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line).toMatch(/^applied \d+ of 12 resource\(s\)\.\.\.$/);
  });

  it('says nothing extra when stderr is not a terminal', async () => {
    expect(await apply(file, false)).toEqual({ code: 0, stdout: "Successfully applied 12 'IPPool' resource(s)\n", stderr: '' });
  });
});
