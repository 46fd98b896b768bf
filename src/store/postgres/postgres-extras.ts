/**
 * The PostgreSQL store's answers about other graphs and other runs: the
 * used-in-the-wild index (calls into a module, found from the target's side)
 * and runtime coverage. Plain functions over the pool, kept out of
 * postgres-store.ts to keep each file about one thing.
 */
import type pg from 'pg';
import type { CoverageBlock, CoverageReportInfo } from '../../model/graph.js';
import type { WildCount, WildSiteRow, WildTarget } from '../graph-store.js';
import { symbolColumns, symbolFromRow, type SymbolRow } from '../rows.js';
import { insertRows, withoutNul } from './bulk-insert.js';
import { transaction } from './connection.js';
import type { Query } from './query-rows.js';

/** `x.module = $a [AND x.package_path = $b] AND x.symbol = $c`, numbered from `first`. */
function targetFilter(target: WildTarget, first: number): { sql: string; parameters: string[] } {
  if (target.packagePath === undefined) {
    return { sql: `x.module = $${first} AND x.symbol = $${first + 1}`, parameters: [target.module, target.symbol] };
  }
  return {
    sql: `x.module = $${first} AND x.package_path = $${first + 1} AND x.symbol = $${first + 2}`,
    parameters: [target.module, target.packagePath, target.symbol],
  };
}

/**
 * Answered from external_refs_by_target (module, package_path, symbol, …),
 * joined to newest graphs only. The fingerprint is SQLite's, byte for byte:
 * SHA-256 over the sites (path, blob, line, column; NUL between fields, a
 * newline between sites, in file and position order) — computed here in the
 * server on bytes, since PostgreSQL text cannot hold NUL.
 */
export async function wildCounts(query: Query, target: WildTarget, excludeRepository: string): Promise<WildCount[]> {
  const filter = targetFilter(target, 2);
  const rows = await query<{ graph_id: number; repository: string; commit_sha: string; n: number; fingerprint: string }>(
    `SELECT x.graph_id, r.name AS repository, g.commit_sha, COUNT(*) AS n,
       encode(sha256(string_agg(
         convert_to(x.file_path, 'UTF8') || '\\x00'::bytea || convert_to(COALESCE(f.blob, ''), 'UTF8') || '\\x00'::bytea
           || convert_to(x.line::text, 'UTF8') || '\\x00'::bytea || convert_to(x.col::text, 'UTF8'),
         '\\x0a'::bytea ORDER BY x.file_path, x.line, x.col)), 'hex') AS fingerprint
     FROM external_refs x
     JOIN graphs g ON g.id = x.graph_id
     JOIN repositories r ON r.id = g.repository_id AND r.current_graph_id = g.id
     LEFT JOIN files f ON f.graph_id = x.graph_id AND f.path = x.file_path
     WHERE ${filter.sql} AND r.name <> $1
     GROUP BY x.graph_id, r.name, g.commit_sha
     ORDER BY n DESC, r.name`,
    [excludeRepository, ...filter.parameters],
  );
  return rows.map((row) => ({
    graphId: row.graph_id,
    repository: row.repository,
    commit: row.commit_sha,
    count: row.n,
    fingerprint: row.fingerprint,
  }));
}

export async function wildSites(query: Query, graphId: number, target: WildTarget, limit: number): Promise<WildSiteRow[]> {
  const filter = targetFilter(target, 3);
  const rows = await query<SymbolRow & { site_file: string; site_line: number; site_col: number; site_blob: string | null }>(
    `SELECT ${symbolColumns('s')}, x.file_path AS site_file, x.line AS site_line, x.col AS site_col, f.blob AS site_blob
     FROM external_refs x
     JOIN symbols s ON s.graph_id = x.graph_id AND s.idx = x.caller
     LEFT JOIN files f ON f.graph_id = x.graph_id AND f.path = x.file_path
     WHERE x.graph_id = $1 AND ${filter.sql}
     ORDER BY x.file_path, x.line, x.col LIMIT $2`,
    [graphId, limit, ...filter.parameters],
  );
  return rows.map((row) => ({
    caller: symbolFromRow(row),
    site: { file: row.site_file, line: row.site_line, col: row.site_col },
    blob: row.site_blob ?? '',
  }));
}

/**
 * One transaction: readers see the old report or the new one. Two imports of
 * the same graph's coverage at once take turns on a transaction-scoped lock
 * instead of failing on the report's primary key.
 */
export async function replaceCoverage(pool: pg.Pool, graphId: number, info: CoverageReportInfo, blocks: CoverageBlock[]): Promise<void> {
  await transaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('graphhub:coverage:' || current_schema() || ':' || $1, 0))", [
      String(graphId),
    ]);
    await client.query('DELETE FROM coverage_blocks WHERE graph_id = $1', [graphId]);
    await client.query('DELETE FROM coverage_reports WHERE graph_id = $1', [graphId]);
    await client.query('INSERT INTO coverage_reports (graph_id, format, source, imported_at, blocks) VALUES ($1, $2, $3, $4, $5)', [
      graphId,
      info.format,
      withoutNul(info.source),
      info.importedAt,
      info.blocks,
    ]);
    await insertRows(
      client,
      'coverage_blocks',
      [['graph_id', 'bigint'], ['file_path', 'text'], ['start_line', 'int'], ['end_line', 'int'], ['hits', 'bigint']],
      blocks.map((block) => [graphId, block.file, block.startLine, block.endLine, block.hits]),
    );
  });
}

export async function coverageReport(query: Query, graphId: number): Promise<CoverageReportInfo | undefined> {
  const [row] = await query<{ format: CoverageReportInfo['format']; source: string; imported_at: string; blocks: number }>(
    'SELECT format, source, imported_at, blocks FROM coverage_reports WHERE graph_id = $1',
    [graphId],
  );
  return row ? { format: row.format, source: row.source, importedAt: row.imported_at, blocks: row.blocks } : undefined;
}

export async function coverageIn(query: Query, graphId: number, file: string, startLine: number, endLine: number): Promise<CoverageBlock[]> {
  const rows = await query<{ file_path: string; start_line: number; end_line: number; hits: number }>(
    `SELECT file_path, start_line, end_line, hits FROM coverage_blocks
     WHERE graph_id = $1 AND file_path = $2 AND start_line <= $3 AND end_line >= $4 ORDER BY start_line, end_line`,
    [graphId, file, endLine, startLine],
  );
  return rows.map((row) => ({ file: row.file_path, startLine: row.start_line, endLine: row.end_line, hits: row.hits }));
}
