import { join } from 'node:path';
import { SqliteGraphStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/temp.js';
import { storeContract } from './contract.js';

storeContract('sqlite', {
  open: async () => new SqliteGraphStore(join(tempDir(), 'graph.sqlite')),
});
