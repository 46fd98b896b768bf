/**
 * Checking what is put on the queue. A job outlives the shell that enqueued
 * it and may run on another machine, so it is checked now, while the person
 * who typed it is still there to read the error: a git URL as it is, a local
 * folder as its absolute real path (meaningful to workers that share the
 * file system), a revision that cannot pass for an option, a valid name.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertRevision } from '../indexer/git.js';
import { assertRepositoryName, isGitUrl } from '../indexer/locate.js';
import { invalidInput } from '../model/errors.js';
import type { EnqueueRequest, JobQueue, JobRecord } from './job-queue.js';

export const MAX_ATTEMPTS_LIMIT = 20;

export async function enqueueIndex(queue: JobQueue, request: EnqueueRequest): Promise<{ job: JobRecord; created: boolean }> {
  const given = request.target.trim();
  // Control characters have no place in a path or URL, and would reach terminals that list jobs.
  if (given.length === 0 || given.length > 2000 || /[\u0000-\u001f\u007f]/.test(given)) {
    throw invalidInput('the target must be a git URL or a folder, without control characters');
  }
  let target: string;
  if (isGitUrl(given)) target = given;
  else {
    const path = resolve(given);
    if (!existsSync(path) || !statSync(path).isDirectory()) throw invalidInput(`not a directory or git URL: ${given}`);
    target = realpathSync(path);
  }
  if (request.revision !== undefined) assertRevision(request.revision);
  if (request.name !== undefined) assertRepositoryName(request.name);
  const maxAttempts = request.maxAttempts;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT)) {
    throw invalidInput(`attempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}`);
  }
  return queue.enqueue({ ...request, target });
}
