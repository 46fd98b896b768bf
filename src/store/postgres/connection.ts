/**
 * One PostgreSQL database as graphhub uses it: a connection pool configured
 * from a `postgres://` URL, an optional schema (so that several hubs, or
 * several tests, can share one database), and the shared migrations applied
 * once however many processes start at the same moment.
 *
 * URL: `postgres://user:password@host:5432/database?schema=graphhub&pool=10`.
 * `schema` (default: the database's search_path, normally `public`) and
 * `pool` (connections per process, default 8) are graphhub's; every other
 * parameter (sslmode, application_name, …) goes to the driver as it is.
 */
import pg from 'pg';
import { GraphhubError, invalidInput } from '../../model/errors.js';
import { MIGRATIONS, sqlFor } from '../schema.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const DEFAULT_POOL_SIZE = 8;

/**
 * Session settings sent at connection start-up. The keepalives make the
 * server notice within about a minute that a worker's machine vanished, so
 * that its open transaction is rolled back and its locks are released.
 *
 * Prepared statements (the store's reads: query-rows.ts) keep one generic
 * plan: reads through the layered graphs' views (migration 12) join six
 * relations, and planning each call afresh, as PostgreSQL chose to, cost
 * ~3 ms of a ~0.3 ms answer. runc's graph and three one-file commits'
 * (/tmp/qlat.mjs-style: 200 symbols' callers and pages, 400 calls each):
 * callers p50 1.7-2.4 → 0.3-0.45 ms, symbol page p50 4.2-4.6 → 1.2-1.8
 * ms, p99 13-17 → 3.9-4.6 ms (before the views: 0.57 ms and 1.5-1.7 ms,
 * p99 6-8 ms); search unchanged (p50 7-9 ms for four characters).
 */
const SESSION_SETTINGS = ['tcp_keepalives_idle=30', 'tcp_keepalives_interval=10', 'tcp_keepalives_count=3', 'plan_cache_mode=force_generic_plan'];

export interface PostgresTarget {
  /** The URL handed to the driver (without graphhub's own parameters). */
  connectionString: string;
  schema: string | undefined;
  poolSize: number;
  /** For messages: the URL without its password. */
  display: string;
}

export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

/** Parses and checks a `postgres://` URL; a bad one is an invalid-input error naming what is wrong. */
export function parsePostgresUrl(text: string): PostgresTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidInput('not a valid PostgreSQL URL (expected postgres://user@host:port/database)');
  }
  if (!isPostgresUrl(text)) throw invalidInput(`not a PostgreSQL URL: ${redact(url)}`);
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw invalidInput(`not a valid schema name in the store URL: ${JSON.stringify(schema.slice(0, 70))} (lower-case letters, digits and _)`);
  }
  const poolText = url.searchParams.get('pool');
  const poolSize = poolText === null ? DEFAULT_POOL_SIZE : Number(poolText);
  if (!Number.isInteger(poolSize) || poolSize < 2 || poolSize > 200) {
    throw invalidInput(`pool in the store URL must be an integer from 2 to 200, not ${JSON.stringify(poolText)}`);
  }
  url.searchParams.delete('schema');
  url.searchParams.delete('pool');
  return { connectionString: url.toString(), schema, poolSize, display: redact(url) };
}

function redact(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = '***';
  return copy.toString();
}

/** 64-bit integers (ids, sizes, counts) come back as numbers: every value graphhub stores fits in 2^53. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresDatabase {
  readonly pool: pg.Pool;
  readonly target: PostgresTarget;
  close(): Promise<void>;
}

/**
 * Opens the pool, creates the schema if it is missing and applies pending
 * migrations. Fails with an `unavailable` error that names the server when
 * it cannot connect.
 */
export async function openPostgres(text: string): Promise<PostgresDatabase> {
  const target = parsePostgresUrl(text);
  const settings = [...SESSION_SETTINGS];
  // public stays on the path: extensions (pg_trgm) live there, shared by every schema of the database.
  if (target.schema) settings.push(`search_path=${target.schema},public`);
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: target.poolSize,
    keepAlive: true,
    application_name: 'graphhub',
    options: settings.map((setting) => `-c ${setting}`).join(' '),
    types: TYPES,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection that the server drops must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  reportOutagesAsUnavailable(pool, target);
  try {
    await migrate(pool, target.schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectionError(error, target);
  }
  return {
    pool,
    target,
    async close() {
      await pool.end();
    },
  };
}

/**
 * Driver failures that mean "the database is not there right now" (refused,
 * unreachable, shutting down, authentication, a dropped connection), as
 * opposed to a bug in a statement.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE',
  '28P01', '28000', '3D000', '3F000', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006',
]);

/** A driver failure as a GraphhubError a person can act on (`unavailable`), or the error itself when it is not one. */
export function connectionError(error: unknown, target: { display: string }): unknown {
  if (error instanceof GraphhubError) return error;
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  if ((code !== undefined && UNAVAILABLE_CODES.has(code)) || /timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
    return new GraphhubError('unavailable', `cannot use PostgreSQL at ${target.display}: ${message}`);
  }
  return error;
}

/**
 * A database that goes away while servers run (a restart, a failover) must
 * give callers an `unavailable` error (HTTP 503, CLI exit 8, a worker that
 * waits and tries again), not an internal one. Every pooled query and every
 * connection checkout goes through these two methods.
 */
function reportOutagesAsUnavailable(pool: pg.Pool, target: PostgresTarget): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => Promise<pg.PoolClient> | undefined;
  pool.query = ((...args: unknown[]) => query(...args).catch((error: unknown) => Promise.reject(connectionError(error, target)))) as typeof pool.query;
  // The pool calls connect with a callback itself (for query); only the promise form is ours to wrap.
  pool.connect = ((...args: unknown[]) =>
    args.length > 0 ? connect(...args) : connect()!.catch((error: unknown) => Promise.reject(connectionError(error, target)))) as typeof pool.connect;
}

/**
 * Creates the schema if it is named and missing, and applies the shared
 * migrations (schema.ts) that the database lacks. A
 * transaction-scoped advisory lock makes concurrent starts (ten servers and
 * workers rolling out at once) apply each migration exactly once; DDL is
 * transactional in PostgreSQL, so a failed migration leaves nothing behind.
 */
async function migrate(pool: pg.Pool, schema: string | undefined): Promise<void> {
  await transaction(pool, async (client) => {
    // One lock for the whole database, not per schema: hubs in other schemas share its extensions.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('graphhub:migrate'))");
    // Under the lock, so that processes starting together do not race to create it.
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      sqlFor('postgres', 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)'),
    );
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      // Dialect statements get the same expansion: placeholders, and byte-ordered text.
      for (const statement of [...migration.statements, ...(migration.dialect?.postgres ?? [])]) {
        await client.query(sqlFor('postgres', statement));
      }
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
  });
}

/** Runs `work` in one transaction on a pooled client: committed when it returns, rolled back when it throws. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
