/**
 * Many rows in one statement: each column travels as one array parameter and
 * `unnest` turns the arrays back into rows. A statement has as many
 * parameters as the table has columns whatever the number of rows, so
 * thousands of rows cost one round trip and one parse, and PostgreSQL's
 * 65,535-parameter limit never applies.
 */
import type pg from 'pg';

/** A column and its PostgreSQL type, as `unnest` needs to know it. */
export type Column = readonly [name: string, type: 'text' | 'int' | 'bigint' | 'float8' | 'bytea'];

/** Rows per statement: large enough to amortise the round trip, small enough to keep one message modest. */
const ROWS_PER_STATEMENT = 5000;

/**
 * Inserts `rows` (values in column order) into `table`. PostgreSQL text
 * cannot hold U+0000, which a hostile file can put in a comment; such
 * characters are stored as U+FFFD rather than failing the whole index.
 */
export async function insertRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly Column[],
  rows: readonly unknown[][],
  suffix = '',
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays}) ${suffix}`;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const parameters = columns.map(([, type], index) =>
      chunk.map((row) => {
        const value = row[index];
        return type === 'text' && typeof value === 'string' ? withoutNul(value) : value;
      }),
    );
    await client.query(sql, parameters);
  }
}

export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replace(/\u0000/g, '\uFFFD') : text;
}
