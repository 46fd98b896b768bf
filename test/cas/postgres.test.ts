import { PostgresContentStore } from '../../src/cas/postgres-content-store.js';
import { openPostgres } from '../../src/store/postgres/connection.js';
import { freshStoreUrl, sql } from '../helpers/postgres.js';
import { contentStoreContract } from './contract.js';

const schemas = new WeakMap<object, string>();

contentStoreContract('postgres', {
  open: async () => {
    const { url, schema } = freshStoreUrl();
    const database = await openPostgres(url);
    const cas = new PostgresContentStore(database.pool, () => database.close());
    schemas.set(cas, schema);
    return cas;
  },
  tamper: async (cas, address, bytes) => {
    await sql(schemas.get(cas), 'UPDATE blobs SET bytes = $2 WHERE address = $1', [address, bytes]);
  },
  remove: async (cas, address) => {
    await sql(schemas.get(cas), 'DELETE FROM blobs WHERE address = $1', [address]);
  },
});
