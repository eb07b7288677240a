import { MemoryStore } from '../../core';
import { runStoreSuite } from './store-suite';

runStoreSuite('memory', async (storeOpts) => ({ store: new MemoryStore(storeOpts), cleanup: async () => {} }), {
  pending: {
    'a value that is not JSON is refused with KEFU_ERR_STORE_VALUE_INVALID and nothing is stored':
      'core MemoryStore stores JSON.stringify(undefined) and throws a plain TypeError for BigInt',
    'list refuses a negative or fractional limit with KEFU_ERR_STORE_OPTIONS_INVALID': 'core MemoryStore passes the limit to Array.slice',
  },
});
