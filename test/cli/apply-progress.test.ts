import { describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from './support/run-cli.js';
import { poolYaml, tempFile } from './support/files.js';

/** `apply -f FILE` on a fresh memory datastore, with a clock that moves a second per reading. */
function apply(file: string, stderrIsTTY: boolean): Promise<CliResult> {
  let clock = 0;
  return runCliInProcess(['apply', '-f', file], { DATASTORE_TYPE: 'memory' }, { stderrIsTTY, now: () => (clock += 1000) });
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
