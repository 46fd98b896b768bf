/**
 * The PostgreSQL store's answers about calls: edges in both directions (one
 * order on every backend: confidence, then names by bytes), unresolved calls
 * and external references of a symbol, the compact call graph for in-memory
 * walks, and every edge streamed through a server-side cursor.
 */
import type pg from 'pg';
import type { EdgeRecord, ExternalRef, SymbolKind, SymbolRecord, UnresolvedCall } from '../../model/graph.js';
import type { CompactGraph, EdgeView } from '../graph-store.js';
import {
  edgeStreamQuery,
  externalRefFromRow,
  sitesFromText,
  symbolColumns,
  streamedEdgeFromRow,
  symbolFromRow,
  unresolvedFromRow,
  type ExternalRefRow,
  type SymbolRow,
  type UnresolvedRow,
} from '../rows.js';
import { withoutNul } from './bulk-insert.js';
import type { Query } from './query-rows.js';

type EdgeRow = SymbolRow & { strategy: string; confidence: number; sites: string };

/** Rows of an edge stream fetched per round trip. */
const EDGE_BATCH = 2000;

/** Edges touching any of `symbolIds`, in the one order every backend gives: confidence, then names by bytes. */
export async function edgeViews(
  query: Query,
  graphId: number,
  symbolIds: string[],
  direction: 'callers' | 'callees',
  /** With one symbol only: its first `limit` edges. */
  limit?: number,
): Promise<Map<string, EdgeView[]>> {
  const [match, other] = direction === 'callers' ? ['callee', 'caller'] : ['caller', 'callee'];
  const rows = await query<EdgeRow & { target_sid: string }>(
    `SELECT t.sid AS target_sid, ${symbolColumns('s')}, e.strategy, e.confidence, e.sites
     FROM symbols t JOIN edges e ON e.graph_id = t.graph_id AND e.${match} = t.idx
     JOIN symbols s ON s.graph_id = e.graph_id AND s.idx = e.${other}
     WHERE t.graph_id = $1 AND t.sid = ANY($2::text[])
     ORDER BY t.sid, e.confidence DESC, s.qualified_name, s.file_path
     LIMIT $3`,
    // LIMIT NULL is no limit.
    [graphId, symbolIds, symbolIds.length === 1 && limit !== undefined ? limit : null],
  );
  const result = new Map<string, EdgeView[]>(symbolIds.map((id) => [withoutNul(id), []]));
  for (const row of rows) {
    result.get(row.target_sid)?.push({
      symbol: symbolFromRow(row),
      strategy: row.strategy as EdgeView['strategy'],
      confidence: row.confidence,
      sites: sitesFromText(row.sites),
    });
  }
  return result;
}

export async function edgeCounts(query: Query, graphId: number, symbolId: string): Promise<{ callers: number; callees: number }> {
  const rows = await query<{ callers: string; callees: string }>(
    `SELECT (SELECT COUNT(*) FROM edges e WHERE e.graph_id = t.graph_id AND e.callee = t.idx) AS callers,
            (SELECT COUNT(*) FROM edges e WHERE e.graph_id = t.graph_id AND e.caller = t.idx) AS callees
     FROM symbols t WHERE t.graph_id = $1 AND t.sid = $2`,
    [graphId, symbolId],
  );
  const row = rows[0];
  return row ? { callers: Number(row.callers), callees: Number(row.callees) } : { callers: 0, callees: 0 };
}

export async function unresolvedFrom(query: Query, graphId: number, symbolId: string): Promise<UnresolvedCall[]> {
  const rows = await query<UnresolvedRow>(
    `SELECT s.sid AS caller_sid, u.name, u.receiver, u.reason, u.file_path, u.line, u.col, u.could_be
     FROM symbols s JOIN unresolved_calls u ON u.graph_id = s.graph_id AND u.caller = s.idx
     WHERE s.graph_id = $1 AND s.sid = $2 ORDER BY u.line, u.col`,
    [graphId, symbolId],
  );
  return rows.map(unresolvedFromRow);
}

export async function externalRefsFrom(query: Query, graphId: number, symbolId: string): Promise<ExternalRef[]> {
  const rows = await query<ExternalRefRow>(
    `SELECT s.sid AS caller_sid, x.module, x.package_path, x.symbol, x.strategy, x.confidence, x.file_path, x.line, x.col
     FROM symbols s JOIN external_refs x ON x.graph_id = s.graph_id AND x.caller = s.idx
     WHERE s.graph_id = $1 AND s.sid = $2 ORDER BY x.line, x.col`,
    [graphId, symbolId],
  );
  return rows.map(externalRefFromRow);
}

export async function compactGraph(pool: pg.Pool, graphId: number): Promise<CompactGraph> {
  const symbols = await pool.query<[number, string, SymbolKind, string]>({
    text: 'SELECT idx, sid, kind, name FROM symbols WHERE graph_id = $1 ORDER BY idx',
    values: [graphId],
    rowMode: 'array',
  });
  const count = symbols.rows.length;
  const ids: string[] = new Array(count);
  const kinds: SymbolKind[] = new Array(count);
  const names: string[] = new Array(count);
  // Rows are numbered densely here: a graph's idx values need not be (incremental graphs keep old numbers).
  const position = new Map<number, number>();
  symbols.rows.forEach(([idx, sid, kind, name], i) => {
    position.set(idx, i);
    ids[i] = sid;
    kinds[i] = kind;
    names[i] = name;
  });
  const edges = await pool.query<[number, number, number]>({
    text: 'SELECT caller, callee, confidence FROM edges WHERE graph_id = $1',
    values: [graphId],
    rowMode: 'array',
  });
  const callers = new Int32Array(edges.rows.length);
  const callees = new Int32Array(edges.rows.length);
  const confidences = new Float64Array(edges.rows.length);
  edges.rows.forEach(([caller, callee, confidence], i) => {
    callers[i] = position.get(caller)!;
    callees[i] = position.get(callee)!;
    confidences[i] = confidence;
  });
  return { ids, kinds, names, callers, callees, confidences };
}

/** Streams through a server-side cursor, so a graph of millions of edges never sits in memory at once. */
export async function* allEdges(pool: pg.Pool, graphId: number): AsyncIterable<{ caller: SymbolRecord; callee: SymbolRecord; edge: EdgeRecord }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    // Every row will be read: plan for the whole result, not for the first rows fast.
    await client.query('SET LOCAL cursor_tuple_fraction = 1.0');
    await client.query(
      `DECLARE edge_stream NO SCROLL CURSOR FOR ${edgeStreamQuery('$1')}`,
      [graphId],
    );
    for (;;) {
      const { rows } = await client.query<Record<string, unknown>>(`FETCH ${EDGE_BATCH} FROM edge_stream`);
      for (const raw of rows) yield streamedEdgeFromRow(raw);
      if (rows.length < EDGE_BATCH) break;
    }
    await client.query('COMMIT');
  } finally {
    // A consumer that stops early leaves the transaction open; ROLLBACK closes it and the cursor.
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
