/** Temporary folders that are removed after the test file finishes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];

afterAll(() => {
  for (const path of created.splice(0)) rmSync(path, { recursive: true, force: true });
});

export function tempDir(prefix = 'graphhub-test-'): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  created.push(path);
  return path;
}
