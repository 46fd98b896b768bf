import { join } from 'node:path';
import type { GraphStore } from '../../src/store/graph-store.js';
import { SqliteGraphStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/temp.js';
import { storeContract } from './contract.js';

const paths = new WeakMap<GraphStore, string>();

storeContract('sqlite', {
  open: async () => {
    const path = join(tempDir(), 'graph.sqlite');
    const store = new SqliteGraphStore(path);
    paths.set(store, path);
    return store;
  },
  // Another connection on the same file, as another process would have.
  reopen: async (store) => new SqliteGraphStore(paths.get(store)!),
});
