/**
 * The little the job queue needs from a database, so that one queue (one set
 * of SQL statements) runs on SQLite and on PostgreSQL, as one schema does.
 *
 * Statements use `?` placeholders and two dialect tokens:
 *   {{now}}          the database clock in epoch milliseconds
 *   {{skip-locked}}  `FOR UPDATE SKIP LOCKED` in PostgreSQL (concurrent
 *                    workers skip rows another worker is taking); nothing in
 *                    SQLite, whose single writer makes the claim atomic anyway
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { Dialect } from '../store/schema.js';

export interface SqlRunner {
  readonly dialect: Dialect;
  /** Runs one statement; returns its rows (an empty list for statements that return none). */
  query<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  /** Whether an error is a unique-index violation. */
  isUniqueViolation(error: unknown): boolean;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** A connection of its own on the hub's SQLite file (WAL mode lets it share the file with the graph store). */
export class SqliteRunner implements SqlRunner {
  readonly dialect = 'sqlite' as const;
  private readonly db: BetterSqlite3.Database;

  constructor(path: string) {
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 10000');
  }

  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const statement = this.db.prepare(
      sql.replace(/\{\{now\}\}/g, "CAST(unixepoch('subsec') * 1000 AS INTEGER)").replace(/\{\{skip-locked\}\}/g, ''),
    );
    if (statement.reader) return statement.all(...parameters) as T[];
    statement.run(...parameters);
    return [];
  }

  isUniqueViolation(error: unknown): boolean {
    return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Statements on the hub's PostgreSQL pool (shared; the hub closes it). */
export class PostgresRunner implements SqlRunner {
  readonly dialect = 'postgres' as const;

  constructor(private readonly pool: pg.Pool) {}

  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    let index = 0;
    const text = sql
      .replace(/\{\{now\}\}/g, '(extract(epoch from clock_timestamp()) * 1000)::bigint')
      .replace(/\{\{skip-locked\}\}/g, 'FOR UPDATE SKIP LOCKED')
      .replace(/\?/g, () => `$${++index}`);
    return (await this.pool.query(text, parameters)).rows as T[];
  }

  isUniqueViolation(error: unknown): boolean {
    return (error as { code?: string }).code === '23505';
  }

  async close(): Promise<void> {}
}
