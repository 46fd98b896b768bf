/**
 * The extraction cache on PostgreSQL: facts per (blob, extractor version),
 * shared by every worker, so a file seen by any of them is parsed once.
 */
import type pg from 'pg';
import { extractionKey, type CachedExtraction, type ExtractionKey } from '../graph-store.js';
import { extractionFromRow, localAtText, type ExtractionRow } from '../rows.js';
import { insertRows } from './bulk-insert.js';
import type { Query } from './query-rows.js';

export async function getExtractions(query: Query, keys: ExtractionKey[]): Promise<Map<string, CachedExtraction>> {
  const result = new Map<string, CachedExtraction>();
  if (keys.length === 0) return result;
  const rows = await query<ExtractionRow>(
    `SELECT x.blob, x.extractor, x.facts, x.diagnostics, x.local_at FROM extractions x
     JOIN unnest($1::text[], $2::text[]) AS k(blob, extractor) ON x.blob = k.blob AND x.extractor = k.extractor`,
    [keys.map((key) => key.blob), keys.map((key) => key.extractor)],
  );
  for (const row of rows) result.set(extractionKey(row), extractionFromRow(row));
  return result;
}

export async function putExtractions(pool: pg.Pool, rows: CachedExtraction[]): Promise<void> {
  const client = await pool.connect();
  try {
    await insertRows(
      client,
      'extractions',
      [['blob', 'text'], ['extractor', 'text'], ['facts', 'text'], ['diagnostics', 'text'], ['local_at', 'text']],
      rows.map((row) => [row.blob, row.extractor, row.facts ?? null, row.diagnostics, localAtText(row)]),
      // Two workers may extract the same blob at once; the first row wins, both are equal.
      'ON CONFLICT (blob, extractor) DO NOTHING',
    );
  } finally {
    client.release();
  }
}
