/**
 * The real local PostgreSQL for tests: every test gets its own schema in the
 * `test` database (so parallel test files and other people's runs never see
 * each other's rows), dropped when the test file ends.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';

/** Override with GRAPHHUB_TEST_POSTGRES to run the suites against another server. */
export const TEST_POSTGRES = process.env.GRAPHHUB_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

const schemas: string[] = [];

afterAll(async () => {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: TEST_POSTGRES });
  await client.connect();
  try {
    for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
});

/** A store URL naming a fresh schema (created on first use by graphhub itself). */
export function freshStoreUrl(): { url: string; schema: string } {
  const schema = `gh_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  const url = new URL(TEST_POSTGRES);
  url.searchParams.set('schema', schema);
  return { url: url.toString(), schema };
}

/** Runs one query against the test database, inside `schema` when given. */
export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(
  schema: string | undefined,
  text: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    return (await client.query<T>(text, parameters)).rows;
  } finally {
    await client.end();
  }
}
