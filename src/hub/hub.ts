/**
 * The one place that picks backends and wires the parts together. Surfaces
 * (CLI, web, MCP) get a Hub and never construct stores themselves.
 *
 * Two shapes:
 * - embedded (the default): the data folder holds `graph.sqlite` (graphs and
 *   the job queue) and `cas.sqlite` (blobs; a folder from an earlier version
 *   also has `cas/`, blobs as files, which are still read);
 * - scale-out: a `postgres://` store URL (`--store` or GRAPHHUB_STORE); the
 *   graphs, the blobs and the job queue all live in that database, so any
 *   number of servers and workers on any number of machines share them. The
 *   data folder then only holds git mirrors a worker fetched.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ContentStore } from '../cas/content-store.js';
import { FsContentStore } from '../cas/fs-content-store.js';
import { SqliteContentStore } from '../cas/sqlite-content-store.js';
import { invalidInput } from '../model/errors.js';
import type { JobQueue } from '../queue/job-queue.js';
import { SqlJobQueue } from '../queue/sql-job-queue.js';
import { PostgresRunner, SqliteRunner } from '../queue/sql-runner.js';
import type { GraphStore } from '../store/graph-store.js';
import { SqliteGraphStore } from '../store/sqlite/sqlite-store.js';

export interface Hub {
  readonly dataDir: string;
  readonly store: GraphStore;
  readonly cas: ContentStore;
  readonly queue: JobQueue;
  close(): Promise<void>;
}

export interface HubOptions {
  /** The data folder; see defaultDataDir. */
  dataDir?: string;
  /** A `postgres://` URL; see storeUrl. Unset: the embedded store in the data folder. */
  store?: string;
}

/** `--data` wins, then GRAPHHUB_DATA, then $XDG_DATA_HOME/graphhub (~/.local/share/graphhub). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GRAPHHUB_DATA) return resolve(env.GRAPHHUB_DATA);
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'graphhub');
}

/** `--store` wins, then GRAPHHUB_STORE; undefined means the embedded store. */
export function storeUrl(given: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = given ?? env.GRAPHHUB_STORE;
  return url === undefined || url.trim() === '' ? undefined : url.trim();
}

export async function openHub(options: HubOptions = {}): Promise<Hub> {
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  const url = storeUrl(options.store);
  if (url !== undefined) {
    // The PostgreSQL client and stores are loaded only for a hub that uses them: an embedded hub's commands start without them (~60 ms).
    const { isPostgresUrl, openPostgres } = await import('../store/postgres/connection.js');
    const { PostgresGraphStore } = await import('../store/postgres/postgres-store.js');
    const { PostgresContentStore } = await import('../cas/postgres-content-store.js');
    if (!isPostgresUrl(url)) {
      throw invalidInput('the store URL must start with postgres:// (or be left unset for the embedded store in the data folder)');
    }
    const database = await openPostgres(url);
    return {
      dataDir,
      store: new PostgresGraphStore(database.pool),
      cas: new PostgresContentStore(database.pool),
      queue: new SqlJobQueue(new PostgresRunner(database.pool)),
      async close() {
        await database.close();
      },
    };
  }
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'graph.sqlite');
  // The graph store applies the migrations; the queue's connection comes second.
  const store = new SqliteGraphStore(path);
  // A data folder from before cas.sqlite keeps its blob files under cas/: still read, never written.
  const legacy = existsSync(join(dataDir, 'cas')) ? new FsContentStore(join(dataDir, 'cas')) : undefined;
  const cas = new SqliteContentStore(join(dataDir, 'cas.sqlite'), legacy);
  const queue = new SqlJobQueue(new SqliteRunner(path));
  return {
    dataDir,
    store,
    cas,
    queue,
    async close() {
      await queue.close();
      await store.close();
      await cas.close();
    },
  };
}
