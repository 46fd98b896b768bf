/**
 * How the store's reads reach PostgreSQL: as named prepared statements, with
 * arguments made storable.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withoutNul } from './bulk-insert.js';

/** Runs one read and returns its rows. */
export type Query = <T extends pg.QueryResultRow>(sql: string, parameters?: unknown[]) => Promise<T[]>;

const statementNames = new Map<string, string>();

/**
 * Reads are named prepared statements (the name is a hash of the text):
 * each connection parses and plans one once instead of on every call, which
 * takes about a third off a symbol page. The store's statements are a fixed
 * set; the cap only guards against a future caller that builds SQL freely.
 */
function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= 500) return undefined;
    name = `gh_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function cleanParameter(value: unknown): unknown {
  if (typeof value === 'string') return withoutNul(value);
  if (Array.isArray(value)) return value.map(cleanParameter);
  return value;
}

/**
 * The read function over a pool. A U+0000 in an argument (a hostile URL)
 * cannot be sent as PostgreSQL text; it becomes U+FFFD, as it does when
 * stored, so such a lookup simply finds what was stored under that name.
 */
export function rowsQuery(pool: pg.Pool): Query {
  return async <T extends pg.QueryResultRow>(sql: string, parameters: unknown[] = []): Promise<T[]> => {
    const name = statementName(sql);
    const values = parameters.map(cleanParameter);
    return (await pool.query<T>(name === undefined ? { text: sql, values } : { name, text: sql, values })).rows;
  };
}
