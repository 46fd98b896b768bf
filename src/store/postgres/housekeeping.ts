/**
 * Work that follows a publish and can be done again by anyone: deleting the
 * rows of graphs a publish retired, and refreshing the planner's statistics.
 */
import type pg from 'pg';
import { GRAPH_TABLES } from '../schema.js';
import { transaction } from './connection.js';

/** A graph this large relative to a table's last row estimate makes that estimate stale. */
const STALE_FRACTION = 0.1;

/**
 * ANALYZE for tables whose statistics this graph made stale: never analyzed
 * (a new database: the planner then guesses a few dozen rows per graph and
 * picks nested loops that take seconds), or grown by more than a tenth. On a
 * large hub one more graph is a small fraction and this costs nothing;
 * autovacuum keeps statistics fresh from there (keep it on).
 */
export async function refreshStatistics(pool: pg.Pool, written: Map<string, number>): Promise<void> {
  const tables = [...written.entries()].filter(([, rows]) => rows > 0).map(([table]) => table);
  if (tables.length === 0) return;
  const { rows } = await pool.query<{ relname: string; reltuples: number }>(
    'SELECT relname, reltuples FROM pg_class WHERE oid = ANY($1::regclass[])',
    [tables],
  );
  for (const row of rows) {
    const added = written.get(row.relname) ?? 0;
    if (row.reltuples < 0 || added > STALE_FRACTION * row.reltuples) await pool.query(`ANALYZE ${row.relname}`);
  }
}

/**
 * Deletes the rows of the repository's `replaced` graphs. Each graph is
 * deleted in its own transaction under a row lock taken with SKIP LOCKED, so
 * two processes sweeping at once share the work instead of waiting.
 */
export async function removeRetiredGraphs(pool: pg.Pool, repositoryId: number): Promise<void> {
  const { rows } = await pool.query<{ id: number }>("SELECT id FROM graphs WHERE repository_id = $1 AND status = 'replaced'", [repositoryId]);
  for (const row of rows) await deleteGraphRows(pool, row.id, "status = 'replaced'");
}

/**
 * Deletes one graph and its rows if it still matches `condition` and nobody
 * else is deleting it — unless other graphs share its rows (it is their
 * base): then it stays, invisible as `replaced`, until the last of them is
 * deleted, which deletes it too. A writer sharing a graph's rows holds a
 * key-share lock on it until it commits, so the lock here waits out (SKIP
 * LOCKED: leaves to the next sweep) a graph about to gain a dependant.
 */
export async function deleteGraphRows(pool: pg.Pool, graphId: number, condition: string): Promise<void> {
  const base = await transaction(pool, async (client) => {
    const locked = await client.query(`SELECT id FROM graphs WHERE id = $1 AND ${condition} FOR UPDATE SKIP LOCKED`, [graphId]);
    if (locked.rowCount !== 1) return undefined;
    const shared = await client.query('SELECT 1 FROM graph_layers WHERE layer_id = $1 AND graph_id <> $1', [graphId]);
    if (shared.rowCount) {
      await client.query("UPDATE graphs SET status = 'replaced' WHERE id = $1", [graphId]);
      return undefined;
    }
    const { rows } = await client.query<{ layer_id: number }>('SELECT layer_id FROM graph_layers WHERE graph_id = $1 AND layer_id <> $1', [graphId]);
    for (const table of GRAPH_TABLES) await client.query(`DELETE FROM ${table} WHERE graph_id = $1`, [graphId]);
    await client.query('DELETE FROM graphs WHERE id = $1', [graphId]);
    return rows[0] ? Number(rows[0].layer_id) : undefined;
  });
  // A replaced base kept for this graph alone goes with it.
  if (base !== undefined) await deleteGraphRows(pool, base, "status = 'replaced'");
}
