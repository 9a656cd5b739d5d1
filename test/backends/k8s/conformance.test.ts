/**
 * The shared backend conformance suite on the Kubernetes backend, against the fake API server
 * (which enforces Calico's real CRD schemas and CEL rules). One server is shared by the tests of
 * a run, so lists and watches also see the other tests' objects and must filter them out; a
 * small page size makes every list span several server pages.
 */
import { afterAll, beforeAll } from 'vitest';
import { CONFORMANCE_NAMESPACES, runBackendConformance } from '../../conformance/backend-suite.js';
import { startHarness, type Harness } from './helpers.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(CONFORMANCE_NAMESPACES);
});
afterAll(async () => {
  await harness?.close();
});

const target = (pageSize?: number) => async () => {
  const backend = await harness.backend(pageSize ? { pageSize } : {});
  return {
    backend,
    compact: async () => {
      harness.server.faults.compact();
    },
    cleanup: () => backend.close(),
    openWatches: () => Promise.resolve(harness.server.openWatches()),
  };
};

runBackendConformance('kubernetes (pages of 3)', target(3));
runBackendConformance('kubernetes (default page size)', target());
