import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresDatabase } from '../../src/store/postgres/connection.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import { PostgresGraphStore } from '../../src/store/postgres/postgres-store.js';
import { setKeptNumbers } from '../../src/store/symbol-numbers.js';
import { freshStoreUrl, sql } from '../helpers/postgres.js';
import { eventually } from '../helpers/processes.js';

const schemaOf = (url: string) => new URL(url).searchParams.get('schema')!;
import { storeContract } from './contract.js';

const urls = new WeakMap<GraphStore, string>();

/** A store with a pool of its own, as a separate process would have. */
async function openStore(url: string): Promise<GraphStore> {
  const database = await openPostgres(url);
  const store = new PostgresGraphStore(database.pool, () => database.close());
  urls.set(store, url);
  return store;
}

storeContract('postgres', {
  open: async () => openStore(freshStoreUrl().url),
  reopen: async (store) => openStore(urls.get(store)!),
  gaps: ['nul-in-text'],
  keptNumbers: setKeptNumbers,
  rowsOf: async (store, table) => {
    const column = table === 'graphs' ? 'id' : 'graph_id';
    const rows = await sql<{ id: string; n: number }>(schemaOf(urls.get(store)!), `SELECT ${column} AS id, COUNT(*)::int AS n FROM ${table} GROUP BY ${column}`);
    return new Map(rows.map((row) => [Number(row.id), row.n]));
  },
});

describe('postgres store: the parts SQLite has no counterpart for', () => {
  const open: PostgresDatabase[] = [];
  afterEach(async () => {
    for (const database of open.splice(0)) await database.close();
  });

  it('applies the migrations once when many processes start at the same moment', async () => {
    const { url, schema } = freshStoreUrl();
    open.push(...(await Promise.all([1, 2, 3, 4].map(() => openPostgres(url)))));
    const versions = await sql<{ version: number }>(schema, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((row) => row.version)).toEqual([...new Set(versions.map((row) => row.version))]);
    expect(versions.length).toBeGreaterThanOrEqual(1);
  });

  it('creates every text column with byte-order collation', async () => {
    const { url, schema } = freshStoreUrl();
    open.push(await openPostgres(url));
    const columns = await sql<{ table_name: string; column_name: string; collation_name: string | null }>(
      undefined,
      `SELECT table_name, column_name, collation_name FROM information_schema.columns
       WHERE table_schema = $1 AND data_type = 'text'`,
      [schema],
    );
    expect(columns.length).toBeGreaterThan(20);
    expect(columns.filter((column) => column.collation_name !== 'C')).toEqual([]);
  });

  it('reports a connection the server ends mid-query as unavailable, and recovers with a new one', async () => {
    const { url } = freshStoreUrl();
    const database = await openPostgres(url);
    open.push(database);
    const marker = `graphhub-test-${schemaOf(url)}`;
    const sleeping = database.pool.query(`SELECT pg_sleep(30) AS "${marker}"`).then(() => 'finished', (error: unknown) => error);
    // Once the sleep runs, the server ends that connection (as a restart or a failover would).
    await eventually(async () => {
      const ended = await sql<{ ended: boolean }>(undefined, 'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE query LIKE $1', [
        `%${marker}%`,
      ]);
      return ended.length > 0 ? true : undefined;
    }, 'the query to start');
    expect(await sleeping).toMatchObject({ code: 'unavailable' });
    expect((await database.pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  });

  it('refuses a bad URL or an unreachable server with a clear error', async () => {
    await expect(openPostgres('postgres://postgres@127.0.0.1:5432/test?schema=Robert%27;DROP')).rejects.toMatchObject({
      code: 'invalid-input',
    });
    await expect(openPostgres('postgres://postgres@127.0.0.1:5432/test?pool=0')).rejects.toMatchObject({ code: 'invalid-input' });
    const refused = await openPostgres('postgres://someone:secret@127.0.0.1:1/test').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'unavailable' });
    expect((refused as Error).message).toContain('127.0.0.1:1');
    expect((refused as Error).message).not.toContain('secret');
  });
});
