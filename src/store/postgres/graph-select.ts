/** A graph with its repository name and module list, in the shape graphFromRow reads. */
export const GRAPH_SELECT = `SELECT g.id, r.name AS repository, g.commit_sha, g.indexed_at, g.indexer_version, g.stats,
  (SELECT string_agg(m.name, E'\\n') FROM modules m WHERE m.graph_id = g.id) AS modules
  FROM graphs g JOIN repositories r ON r.id = g.repository_id`;
