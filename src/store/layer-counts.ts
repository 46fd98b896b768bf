/**
 * A layered graph's row counts (migration 12): its own rows, plus its base's
 * less those its mask hides. Counting through the views costs a mask lookup
 * for every row of the base (runc: ~35 ms, most of what a one-file commit's
 * writing had left); the hidden rows are instead found from the masks, a few
 * hundred, through the indexes by caller and callee. `@graph` and `@base`
 * are the two graphs' ids (SQLite binds them by name; PostgreSQL's writer
 * numbers them).
 */
const hiddenBy = (table: string): string =>
  `(SELECT COUNT(*) FROM layer_masks m JOIN ${table} x ON x.graph_id = @base AND x.caller = m.idx WHERE m.graph_id = @graph)`;
const total = (table: string): string =>
  `(SELECT COUNT(*) FROM ${table} WHERE graph_id = @graph) + (SELECT COUNT(*) FROM ${table} WHERE graph_id = @base)`;

export const LAYERED_COUNTS = `SELECT
  CAST(${total('symbol_rows')} - (SELECT COUNT(*) FROM layer_masks WHERE graph_id = @graph) AS INTEGER) AS symbols,
  CAST(${total('edge_rows')} - ${hiddenBy('edge_rows')}
    - (SELECT COUNT(*) FROM layer_masks m JOIN edge_rows x ON x.graph_id = @base AND x.callee = m.idx
       WHERE m.graph_id = @graph AND m.gone = 1 AND NOT EXISTS (SELECT 1 FROM layer_masks c WHERE c.graph_id = @graph AND c.idx = x.caller)) AS INTEGER) AS edges,
  CAST(${total('unresolved_call_rows')} - ${hiddenBy('unresolved_call_rows')} AS INTEGER) AS unresolved,
  CAST(${total('external_ref_rows')} - ${hiddenBy('external_ref_rows')} AS INTEGER) AS external_refs`;
