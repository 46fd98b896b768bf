/**
 * The schema, once, for every backend. Migrations are numbered and applied
 * in order inside a transaction; each backend records the versions it has
 * applied in `schema_migrations`. Statements use portable SQL with four
 * dialect placeholders, expanded by `sqlFor`:
 *
 *   {{serial}}  an auto-increment integer primary key
 *   {{real}}    a double-precision float
 *   {{bigint}}  a 64-bit integer
 *   {{bytes}}   a byte string (BLOB, BYTEA)
 *
 * One dialect rule needs no placeholder: in PostgreSQL every `TEXT` column is
 * created `COLLATE "C"`, so that text compares and sorts by bytes exactly as
 * SQLite's BINARY collation does (ORDER BY qualified_name gives the same
 * order on both backends, and the prefix range of a name search is the same
 * range), whatever the database's default locale is.
 *
 * What only one backend can express goes in `dialect` (full-text indexes; the
 * content store's table, which only PostgreSQL hubs keep in the database); a
 * migration whose `statements` are empty for a backend is still recorded as
 * applied there, so versions stay one sequence.
 *
 * Never edit a released migration: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  /** Portable statements, for every backend. */
  statements: string[];
  /** What only one backend can express (full-text indexes), applied after `statements`. */
  dialect?: Partial<Record<Dialect, string[]>>;
}

export type Dialect = 'sqlite' | 'postgres';

export function sqlFor(dialect: Dialect, statement: string): string {
  const expanded = statement
    .replace(/\{\{serial\}\}/g, dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY')
    .replace(/\{\{real\}\}/g, dialect === 'sqlite' ? 'REAL' : 'DOUBLE PRECISION')
    .replace(/\{\{bigint\}\}/g, dialect === 'sqlite' ? 'INTEGER' : 'BIGINT')
    .replace(/\{\{bytes\}\}/g, dialect === 'sqlite' ? 'BLOB' : 'BYTEA');
  return dialect === 'postgres' ? expanded.replace(/\bTEXT\b(?! COLLATE)/g, 'TEXT COLLATE "C"') : expanded;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'graphs',
    statements: [
      `CREATE TABLE repositories (
        id {{serial}},
        name TEXT NOT NULL UNIQUE,
        url TEXT,
        current_graph_id {{bigint}}
      )`,
      // status: building (being written; invisible) or ready (published).
      `CREATE TABLE graphs (
        id {{serial}},
        repository_id {{bigint}} NOT NULL REFERENCES repositories(id),
        commit_sha TEXT NOT NULL,
        status TEXT NOT NULL,
        indexer_version TEXT NOT NULL,
        started_at TEXT NOT NULL,
        indexed_at TEXT,
        stats TEXT
      )`,
      `CREATE INDEX graphs_by_repository ON graphs (repository_id, status, id)`,
      `CREATE TABLE files (
        graph_id {{bigint}} NOT NULL,
        path TEXT NOT NULL,
        blob TEXT NOT NULL,
        size {{bigint}} NOT NULL,
        language TEXT,
        skip_reason TEXT,
        skip_detail TEXT,
        line_count INTEGER,
        module TEXT,
        PRIMARY KEY (graph_id, path)
      )`,
      `CREATE TABLE symbols (
        graph_id {{bigint}} NOT NULL,
        idx INTEGER NOT NULL,
        sid TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        search_name TEXT NOT NULL,
        qualified_name TEXT NOT NULL,
        language TEXT NOT NULL,
        file_path TEXT NOT NULL,
        start_line INTEGER NOT NULL,
        start_col INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        end_col INTEGER NOT NULL,
        name_line INTEGER NOT NULL,
        name_col INTEGER NOT NULL,
        signature TEXT NOT NULL,
        exported INTEGER NOT NULL,
        doc TEXT NOT NULL,
        receiver TEXT,
        package_path TEXT,
        module TEXT,
        decorators TEXT,
        PRIMARY KEY (graph_id, idx)
      )`,
      `CREATE UNIQUE INDEX symbols_by_sid ON symbols (graph_id, sid)`,
      `CREATE INDEX symbols_by_name ON symbols (graph_id, name)`,
      `CREATE INDEX symbols_by_search_name ON symbols (graph_id, search_name)`,
      `CREATE INDEX symbols_by_qualified_name ON symbols (graph_id, qualified_name)`,
      `CREATE INDEX symbols_by_file ON symbols (graph_id, file_path)`,
      `CREATE TABLE edges (
        graph_id {{bigint}} NOT NULL,
        caller INTEGER NOT NULL,
        callee INTEGER NOT NULL,
        strategy TEXT NOT NULL,
        confidence {{real}} NOT NULL,
        sites TEXT NOT NULL,
        PRIMARY KEY (graph_id, caller, callee)
      )`,
      `CREATE INDEX edges_by_callee ON edges (graph_id, callee)`,
      `CREATE TABLE unresolved_calls (
        graph_id {{bigint}} NOT NULL,
        caller INTEGER NOT NULL,
        name TEXT NOT NULL,
        receiver TEXT,
        reason TEXT NOT NULL,
        file_path TEXT NOT NULL,
        line INTEGER NOT NULL,
        col INTEGER NOT NULL
      )`,
      `CREATE INDEX unresolved_by_caller ON unresolved_calls (graph_id, caller)`,
      `CREATE INDEX unresolved_by_name ON unresolved_calls (graph_id, name)`,
      `CREATE TABLE external_refs (
        graph_id {{bigint}} NOT NULL,
        caller INTEGER NOT NULL,
        module TEXT NOT NULL,
        package_path TEXT NOT NULL,
        symbol TEXT NOT NULL,
        strategy TEXT NOT NULL,
        confidence {{real}} NOT NULL,
        file_path TEXT NOT NULL,
        line INTEGER NOT NULL,
        col INTEGER NOT NULL
      )`,
      `CREATE INDEX external_refs_by_caller ON external_refs (graph_id, caller)`,
      // The used-in-the-wild index: keyed by target, so an answer never scans graphs.
      `CREATE INDEX external_refs_by_target ON external_refs (module, package_path, symbol)`,
      `CREATE TABLE diagnostics (
        graph_id {{bigint}} NOT NULL,
        file_path TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        line INTEGER,
        col INTEGER
      )`,
      `CREATE INDEX diagnostics_by_graph ON diagnostics (graph_id)`,
      `CREATE TABLE modules (
        graph_id {{bigint}} NOT NULL,
        ecosystem TEXT NOT NULL,
        name TEXT NOT NULL,
        manifest TEXT NOT NULL,
        directory TEXT NOT NULL
      )`,
      `CREATE INDEX modules_by_graph ON modules (graph_id)`,
      `CREATE INDEX modules_by_name ON modules (ecosystem, name)`,
      `CREATE TABLE dependencies (
        graph_id {{bigint}} NOT NULL,
        ecosystem TEXT NOT NULL,
        from_module TEXT NOT NULL,
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        kind TEXT NOT NULL,
        replacement TEXT,
        manifest TEXT NOT NULL
      )`,
      `CREATE INDEX dependencies_by_graph ON dependencies (graph_id)`,
      `CREATE INDEX dependencies_by_name ON dependencies (ecosystem, name)`,
      `CREATE TABLE extractions (
        blob TEXT NOT NULL,
        extractor TEXT NOT NULL,
        facts TEXT,
        diagnostics TEXT NOT NULL,
        PRIMARY KEY (blob, extractor)
      )`,
    ],
  },
  {
    version: 2,
    name: 'coverage',
    statements: [
      // One imported runtime-coverage report per graph; a new import replaces it.
      `CREATE TABLE coverage_reports (
        graph_id {{bigint}} PRIMARY KEY,
        format TEXT NOT NULL,
        source TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        blocks INTEGER NOT NULL
      )`,
      `CREATE TABLE coverage_blocks (
        graph_id {{bigint}} NOT NULL,
        file_path TEXT NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        hits {{bigint}} NOT NULL
      )`,
      `CREATE INDEX coverage_blocks_by_file ON coverage_blocks (graph_id, file_path, start_line)`,
    ],
  },
  {
    version: 3,
    name: 'file fingerprints',
    statements: [
      // How the source identified the file's content without reading it (a git
      // object id; size and modification time on disk): an unchanged
      // fingerprint lets the next index skip reading and hashing the file.
      `ALTER TABLE files ADD COLUMN fingerprint TEXT`,
    ],
  },
  {
    version: 4,
    name: 'covering wild index',
    statements: [
      // The used-in-the-wild answer reads only these columns of each matching
      // reference: a covering index answers it without touching the table.
      `DROP INDEX external_refs_by_target`,
      `CREATE INDEX external_refs_by_target ON external_refs (module, package_path, symbol, graph_id, file_path, line, col)`,
    ],
  },
  {
    version: 5,
    name: 'substring search index',
    statements: [],
    dialect: {
      // Symbol search by any part of a qualified name: a trigram index (FTS5
      // with external content). The writer fills it for a graph's symbols in
      // one statement when it publishes and empties it before deleting them:
      // a trigger per row costs ten times as much.
      sqlite: [
        `CREATE VIRTUAL TABLE symbols_fts USING fts5(qualified_name, content='symbols', content_rowid='rowid', tokenize='trigram')`,
        `INSERT INTO symbols_fts (symbols_fts) VALUES ('rebuild')`,
      ],
      postgres: [
        // In public, shared by every schema of the database: created inside a hub's own
        // schema, dropping that schema would take every other hub's trigram index with it.
        `CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`,
        `CREATE INDEX symbols_by_qualified_name_trigram ON symbols USING gin (lower(qualified_name) gin_trgm_ops)`,
      ],
    },
  },
  {
    version: 6,
    name: 'content store in the database',
    statements: [],
    dialect: {
      // The embedded hub keeps blobs in a SQLite file of their own (cas/sqlite-content-store.ts); with
      // PostgreSQL every machine reads them from here (cas/postgres-content-store.ts).
      postgres: [
        `CREATE TABLE blobs (
          address TEXT PRIMARY KEY,
          size {{bigint}} NOT NULL,
          bytes {{bytes}} NOT NULL,
          stored_at TEXT NOT NULL
        )`,
      ],
    },
  },
  {
    version: 7,
    name: 'indexing jobs',
    statements: [
      // state: queued (waiting until run_after), running (a worker holds the
      // lease until lease_until), done, or dead (out of attempts, or failed in
      // a way a retry cannot fix). Times are epoch milliseconds from the
      // database's clock, so that workers on many machines agree on them.
      `CREATE TABLE jobs (
        id {{serial}},
        target TEXT NOT NULL,
        revision TEXT NOT NULL,
        requested_name TEXT,
        repository TEXT,
        commit_sha TEXT,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        max_attempts INTEGER NOT NULL,
        run_after {{bigint}} NOT NULL,
        worker TEXT,
        lease_until {{bigint}},
        progress TEXT,
        last_error TEXT,
        graph_id {{bigint}},
        created_at {{bigint}} NOT NULL,
        started_at {{bigint}},
        finished_at {{bigint}}
      )`,
      `CREATE INDEX jobs_claimable ON jobs (state, run_after, id)`,
      // One pending job per target and revision: enqueueing it again answers with the same job.
      `CREATE UNIQUE INDEX jobs_one_pending_per_target ON jobs (target, revision) WHERE state IN ('queued', 'running')`,
      // Never two workers on one repository at one commit: the second one's claim of the commit fails here.
      `CREATE UNIQUE INDEX jobs_one_running_per_commit ON jobs (repository, commit_sha) WHERE state = 'running' AND commit_sha IS NOT NULL`,
    ],
  },
  {
    version: 8,
    name: 'possible callers',
    statements: [
      // Which symbols an unresolved call could reach by name: 'method',
      // 'function', 'any', or NULL when it is known to go elsewhere.
      `ALTER TABLE unresolved_calls ADD COLUMN could_be TEXT`,
    ],
  },
  {
    version: 9,
    name: 'package symbols',
    statements: [
      // A working tree's in-place update replaces every package symbol (a package's doc and files may
      // change with any of them): without this, finding the 127 of runc's 21k symbols read them all.
      `CREATE INDEX symbols_packages ON symbols (graph_id) WHERE kind = 'package'`,
    ],
  },
  {
    version: 10,
    name: 'local facts in the extraction cache',
    statements: [
      // Where each local fact starts in the facts text (a JSON array of offsets; see CachedExtraction.localAt).
      `ALTER TABLE extractions ADD COLUMN local_at TEXT`,
    ],
  },
  {
    version: 11,
    name: 'search index over distinct names',
    statements: [],
    dialect: {
      // The trigram index holds each qualified name once, however many graphs
      // have symbols of that name: another commit of a repository, a fork or
      // a vendored copy adds (almost) nothing to it. Indexing every symbol row
      // cost each published graph 0.2-0.4 s on runc (21k rows merged into the
      // index of every other graph) and as much again to delete; now a graph
      // adds only names never seen, and deleting a graph touches the index not
      // at all (a name no graph uses any more matches no symbol).
      sqlite: [
        `CREATE TABLE search_names (id INTEGER PRIMARY KEY, qualified_name TEXT NOT NULL UNIQUE)`,
        `CREATE VIRTUAL TABLE search_names_fts USING fts5(qualified_name, content='search_names', content_rowid='id', tokenize='trigram')`,
        `INSERT INTO search_names (qualified_name) SELECT DISTINCT qualified_name FROM symbols`,
        `INSERT INTO search_names_fts (search_names_fts) VALUES ('rebuild')`,
        `DROP TABLE symbols_fts`,
      ],
    },
  },
  {
    version: 12,
    name: 'layered graphs',
    statements: [
      // A new commit's graph shares the rows of the files it did not change with
      // the graph it was built on instead of copying them (runc: 21k symbols and
      // 70k calls, ~350 ms and ~40 MB a commit). A graph's rows are its own
      // layer plus, for a layered graph, one base layer seen through a mask:
      // the base's symbols that the graph wrote again or dropped, whose calls go
      // with them. The physical tables are *_rows; the names the queries read
      // (symbols, edges, unresolved_calls, external_refs) are views over them,
      // so every query reads a layered graph as it reads any other.
      `ALTER TABLE symbols RENAME TO symbol_rows`,
      `ALTER TABLE edges RENAME TO edge_rows`,
      `ALTER TABLE unresolved_calls RENAME TO unresolved_call_rows`,
      `ALTER TABLE external_refs RENAME TO external_ref_rows`,
      // Every graph is a layer of itself; a layered graph has one more row, its base.
      `CREATE TABLE graph_layers (
        graph_id {{bigint}} NOT NULL,
        layer_id {{bigint}} NOT NULL,
        PRIMARY KEY (graph_id, layer_id)
      )`,
      `CREATE INDEX graph_layers_by_layer ON graph_layers (layer_id, graph_id)`,
      `INSERT INTO graph_layers (graph_id, layer_id) SELECT id, id FROM graphs`,
      // The base's symbols a layered graph hides (with their calls); gone: no symbol of
      // that number is in the graph at all, so the base's calls to it are hidden too.
      `CREATE TABLE layer_masks (
        graph_id {{bigint}} NOT NULL,
        idx INTEGER NOT NULL,
        gone INTEGER NOT NULL,
        PRIMARY KEY (graph_id, idx)
      )`,
      `CREATE VIEW symbols AS
        SELECT l.graph_id AS graph_id, s.idx, s.sid, s.kind, s.name, s.search_name, s.qualified_name, s.language, s.file_path,
          s.start_line, s.start_col, s.end_line, s.end_col, s.name_line, s.name_col, s.signature, s.exported, s.doc,
          s.receiver, s.package_path, s.module, s.decorators
        FROM graph_layers l JOIN symbol_rows s ON s.graph_id = l.layer_id
        WHERE l.layer_id = l.graph_id OR NOT EXISTS (SELECT 1 FROM layer_masks m WHERE m.graph_id = l.graph_id AND m.idx = s.idx)`,
      `CREATE VIEW edges AS
        SELECT l.graph_id AS graph_id, e.caller, e.callee, e.strategy, e.confidence, e.sites
        FROM graph_layers l JOIN edge_rows e ON e.graph_id = l.layer_id
        WHERE l.layer_id = l.graph_id
          OR (NOT EXISTS (SELECT 1 FROM layer_masks m WHERE m.graph_id = l.graph_id AND m.idx = e.caller)
            AND NOT EXISTS (SELECT 1 FROM layer_masks m WHERE m.graph_id = l.graph_id AND m.idx = e.callee AND m.gone = 1))`,
      `CREATE VIEW unresolved_calls AS
        SELECT l.graph_id AS graph_id, u.caller, u.name, u.receiver, u.reason, u.file_path, u.line, u.col, u.could_be
        FROM graph_layers l JOIN unresolved_call_rows u ON u.graph_id = l.layer_id
        WHERE l.layer_id = l.graph_id OR NOT EXISTS (SELECT 1 FROM layer_masks m WHERE m.graph_id = l.graph_id AND m.idx = u.caller)`,
      `CREATE VIEW external_refs AS
        SELECT l.graph_id AS graph_id, x.caller, x.module, x.package_path, x.symbol, x.strategy, x.confidence, x.file_path, x.line, x.col
        FROM graph_layers l JOIN external_ref_rows x ON x.graph_id = l.layer_id
        WHERE l.layer_id = l.graph_id OR NOT EXISTS (SELECT 1 FROM layer_masks m WHERE m.graph_id = l.graph_id AND m.idx = x.caller)`,
    ],
    dialect: {
      // Statistics at once: guessing, the planner read every graph's edges of a callee before
      // narrowing them to the graph's layers (see the writer's refreshStatistics counts).
      postgres: [`ANALYZE graph_layers`, `ANALYZE layer_masks`],
    },
  },
];

/** Tables holding rows of one graph, in the order they are deleted. */
export const GRAPH_TABLES = [
  'coverage_blocks',
  'coverage_reports',
  'edge_rows',
  'unresolved_call_rows',
  'external_ref_rows',
  'diagnostics',
  'modules',
  'dependencies',
  'symbol_rows',
  'files',
  'layer_masks',
  'graph_layers',
] as const;
