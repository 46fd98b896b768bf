/**
 * Symbol search on PostgreSQL: prefix matches through the search_name index
 * (byte order, see schema.ts), substring matches of the qualified name (which
 * holds the name) through the trigram index to fill up — of the name alone
 * for a text under three characters (SHORT_SUBSTRING) — ranked by the rules
 * every backend shares (search.ts).
 */
import type { SymbolHit, SymbolSearch } from '../graph-store.js';
import { symbolColumns, symbolFromRow, type SymbolRow } from '../rows.js';
import { escapeLike, rankHits, SHORT_SUBSTRING } from '../search.js';
import type { Query } from './query-rows.js';

export async function searchSymbols(query: Query, search: SymbolSearch): Promise<SymbolHit[]> {
  const text = search.text.trim().toLowerCase();
  if (text === '') return [];
  const graphIds = search.graphIds ?? (await currentGraphIds(query));
  if (graphIds.length === 0) return [];
  const kinds = search.kinds && search.kinds.length > 0 ? search.kinds : null;
  const select = `SELECT ${symbolColumns('s')}, s.graph_id, r.name AS repository, g.commit_sha
    FROM symbols s JOIN graphs g ON g.id = s.graph_id JOIN repositories r ON r.id = g.repository_id
    WHERE s.graph_id = ANY($1::bigint[]) AND ($2::text[] IS NULL OR s.kind = ANY($2::text[]))`;
  type HitRow = SymbolRow & { graph_id: number; repository: string; commit_sha: string };
  // Prefix matches use the search_name index (byte order, see schema.ts); substring matches fill up what is left.
  const prefixRows = await query<HitRow>(`${select} AND s.search_name >= $3 AND s.search_name < $4 LIMIT $5`, [
    graphIds,
    kinds,
    text,
    `${text}\uffff`,
    search.limit * 4,
  ]);
  let rows = prefixRows;
  if (prefixRows.length < search.limit * 4) {
    const pattern = `%${escapeLike(text)}%`;
    // A text too short for the trigram index is looked for in names alone (SHORT_SUBSTRING), as on SQLite.
    const where = text.length >= SHORT_SUBSTRING ? 'lower(s.qualified_name)' : 's.search_name';
    const substringRows = await query<HitRow>(`${select} AND ${where} LIKE $3 ESCAPE '\\' LIMIT $4`, [graphIds, kinds, pattern, search.limit * 4]);
    rows = prefixRows.concat(substringRows);
  }
  const hits = rows.map((row) => ({ graphId: row.graph_id, repository: row.repository, commit: row.commit_sha, symbol: symbolFromRow(row) }));
  return rankHits(hits, text, search.limit);
}

async function currentGraphIds(query: Query): Promise<number[]> {
  const rows = await query<{ current_graph_id: number }>('SELECT current_graph_id FROM repositories WHERE current_graph_id IS NOT NULL');
  return rows.map((row) => row.current_graph_id);
}
