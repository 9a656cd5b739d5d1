/** The shared backend conformance suite, run on the memory backend. */
import { createMemoryBackend } from '../../../src/testing.js';
import { runBackendConformance } from '../../conformance/backend-suite.js';

runBackendConformance('memory', async () => {
  const backend = createMemoryBackend();
  return {
    backend,
    compact: async () => backend.compact(),
    cleanup: () => backend.close(),
    openWatches: async () => backend.openWatchCount(),
  };
});

runBackendConformance('memory (history window of 5)', async () => {
  const backend = createMemoryBackend({ historyWindow: 5 });
  return {
    backend,
    compact: async () => backend.compact(),
    cleanup: () => backend.close(),
    openWatches: async () => backend.openWatchCount(),
  };
});
