/** The columns of a GraphInfo, shared by the store and its writer. */
export const GRAPH_SELECT = `SELECT g.id, r.name AS repository, g.commit_sha, g.indexed_at, g.indexer_version, g.stats,
  (SELECT group_concat(m.name, char(10)) FROM modules m WHERE m.graph_id = g.id) AS modules
  FROM graphs g JOIN repositories r ON r.id = g.repository_id`;
