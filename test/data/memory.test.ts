/** The data conformance suites on the in-memory backend (no durability, one handle). */
import { createMemoryData } from '../../core/data';
import { runDataSuites } from './suite';

runDataSuites('memory', async (opts) => {
  const data = createMemoryData(opts);
  return {
    data,
    corrupt: async (table, id) => {
      if (!data.damage(table, id, '{"half a record')) throw new Error(`no ${table} record "${id}" to damage`);
    },
    cleanup: async () => {},
  };
});
