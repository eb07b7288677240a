import { MemoryStore } from '../../core';
import { runStoreSuite } from './store-suite';

runStoreSuite('memory', async (storeOpts) => ({ store: new MemoryStore(storeOpts), cleanup: async () => {} }));
