/**
 * The one place that picks backends and wires the parts together. Surfaces
 * (CLI, web, MCP) get a Hub and never construct stores themselves.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ContentStore } from '../cas/content-store.js';
import { FsContentStore } from '../cas/fs-content-store.js';
import type { GraphStore } from '../store/graph-store.js';
import { SqliteGraphStore } from '../store/sqlite/sqlite-store.js';

export interface Hub {
  readonly dataDir: string;
  readonly store: GraphStore;
  readonly cas: ContentStore;
  close(): Promise<void>;
}

export interface HubOptions {
  /** The data folder; see defaultDataDir. */
  dataDir?: string;
}

/** `--data` wins, then GRAPHHUB_DATA, then $XDG_DATA_HOME/graphhub (~/.local/share/graphhub). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GRAPHHUB_DATA) return resolve(env.GRAPHHUB_DATA);
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'graphhub');
}

export async function openHub(options: HubOptions = {}): Promise<Hub> {
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  mkdirSync(dataDir, { recursive: true });
  const store = new SqliteGraphStore(join(dataDir, 'graph.sqlite'));
  const cas = new FsContentStore(join(dataDir, 'cas'));
  return {
    dataDir,
    store,
    cas,
    async close() {
      await store.close();
      await cas.close();
    },
  };
}
