import { join } from 'node:path';
import { SqlJobQueue } from '../../src/queue/sql-job-queue.js';
import { SqliteRunner } from '../../src/queue/sql-runner.js';
import { SqliteGraphStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/temp.js';
import { queueContract } from './contract.js';

const paths = new WeakMap<object, string>();

queueContract('sqlite', {
  open: async () => {
    const path = join(tempDir(), 'graph.sqlite');
    // The graph store applies the shared migrations, the jobs table among them.
    await new SqliteGraphStore(path).close();
    const queue = new SqlJobQueue(new SqliteRunner(path));
    paths.set(queue, path);
    return queue;
  },
  another: async (queue) => {
    const other = new SqlJobQueue(new SqliteRunner(paths.get(queue)!));
    paths.set(other, paths.get(queue)!);
    return other;
  },
});
