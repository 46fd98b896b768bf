/**
 * `graphhub watch`'s loop: a run after the tree is being watched, then
 * another whenever changes settle, one at a time, until SIGINT or SIGTERM.
 *
 * Why chokidar and not fs.watch's recursive mode: Node's recursive watcher
 * on Linux threw an unhandled error, ending the watch, when a directory was
 * removed while it was being scanned (a build tool creating and deleting
 * `tmp/a/b/c` did it), and it watched every directory of `.git` and
 * `node_modules`, which a large tree runs out of inotify watches on.
 * chokidar never enters the ignored directories and takes a directory that
 * vanished as removed.
 */
import { statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { watch as watchTree } from 'chokidar';
import { GraphhubError } from '../model/errors.js';

/** Directories whose changes are not the working tree's sources: never watched. */
const UNWATCHED = new Set(['.git', 'node_modules', '.graphhub']);

/**
 * chokidar drops a change of a path that comes within 50 ms of the last one
 * it reported (its own throttle, not an option): a save followed at once by
 * a formatter's write, or an edit right after a run began, was never
 * indexed. So each changed path is looked at again once that window has
 * passed, and a difference from what it was when reported is one more
 * change.
 */
const CHOKIDAR_THROTTLE_MS = 50;
const RECHECK_MS = CHOKIDAR_THROTTLE_MS + 25;

export interface WatchLoop {
  /** The first run, once the tree is being watched (so no change after it starts is missed); its failure ends the loop. */
  first(): Promise<void>;
  /** A run after changes settled; it must not throw (a bad moment must not end the watch). */
  change(): Promise<void>;
  /** The watcher could not watch part of the tree (out of inotify watches, say): the loop goes on. */
  warn(error: Error): void;
  /**
   * Directories (absolute) whose files are not the tree's — a git work
   * tree's ignored ones, `dist/`, `target/` — asked at the start and after
   * every run: a build writing there must not cost a re-index per write.
   */
  ignoredDirectories?(): Promise<string[]>;
}

export async function watchLoop(root: string, debounceMs: number, loop: WatchLoop): Promise<void> {
  const ignored = new Set<string>();
  try {
    for (const path of (await loop.ignoredDirectories?.()) ?? []) ignored.add(path);
  } catch (error) {
    loop.warn(error as Error);
  }
  /** Whether a path is, or is inside, a directory that is not watched (walking up: a directory can be ignored after its insides were watched). */
  const isIgnored = (path: string): boolean => {
    for (let at = path; at !== root && at.length > root.length; at = dirname(at)) {
      if (UNWATCHED.has(basename(at)) || ignored.has(at)) return true;
    }
    return false;
  };
  return new Promise((resolveLoop, rejectLoop) => {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    let again = false;
    let stopped = false;
    const watcher = watchTree(root, {
      ignoreInitial: true,
      // A symbolic link is a file of the tree, not a way out of it.
      followSymlinks: false,
      ignorePermissionErrors: true,
      ignored: (path) => isIgnored(path),
    });
    /** Directories git has come to ignore since (a first build's `dist/`) are no longer watched. */
    const ignoreMore = async (): Promise<void> => {
      try {
        const now = (await loop.ignoredDirectories?.()) ?? [];
        const added = now.filter((path) => !ignored.has(path));
        for (const path of added) ignored.add(path);
        if (added.length > 0) watcher.unwatch(added);
      } catch (error) {
        loop.warn(error as Error);
      }
    };
    const stop = (error?: unknown): void => {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      void Promise.allSettled([watcher.close(), running]).then(() => (error === undefined ? resolveLoop() : rejectLoop(error)));
    };
    const interrupted = (): void => stop();
    const run = (work: () => Promise<void>): void => {
      running = work().finally(() => {
        running = undefined;
        if (again) {
          again = false;
          trigger();
        }
      });
    };
    const trigger = (): void => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      if (!isDirectory(root)) {
        stop(new GraphhubError('source-unavailable', `${root} is no longer a directory: nothing left to watch`));
        return;
      }
      run(async () => {
        await loop.change();
        await ignoreMore();
      });
    };
    // Before 'ready' chokidar is still scanning (and reports some symbolic links it meets as added): the first run, which
    // starts at 'ready', reads the tree as it is by then anyway.
    let ready = false;
    const changed = (): void => {
      clearTimeout(timer);
      timer = setTimeout(trigger, debounceMs);
    };
    watcher.on('all', (event, path) => {
      if (!ready || isIgnored(path)) return;
      changed();
      if (event !== 'change') return;
      const seen = statOf(path);
      setTimeout(() => {
        if (!stopped && statOf(path) !== seen) changed();
      }, RECHECK_MS).unref();
    });
    watcher.on('error', (error) => loop.warn(error as Error));
    watcher.once('ready', () => {
      ready = true;
      if (stopped) return;
      run(() => loop.first().catch((error: unknown) => stop(error)));
    });
    process.on('SIGINT', interrupted);
    process.on('SIGTERM', interrupted);
  });
}

/** What tells one version of a file from the next (or '' when it is gone). */
function statOf(path: string): string {
  try {
    const stats = statSync(path, { bigint: true });
    return `${stats.mtimeNs}:${stats.size}:${stats.ino}`;
  } catch {
    return '';
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
