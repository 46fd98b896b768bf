/**
 * Golden files: compare text with a file kept in the repository. With
 * UPDATE_GOLDEN=1 (`npm run test:update`) the file is rewritten instead, so
 * an intended change is accepted by reviewing the diff in git.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { expect } from 'vitest';

export function expectGolden(actual: string, goldenPath: string): void {
  const name = relative(process.cwd(), goldenPath);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) {
    if (process.env.UPDATE_GOLDEN !== '1' && process.env.CI) {
      throw new Error(`golden file ${name} is missing; run \`npm run test:update\` and commit it`);
    }
    writeFileSync(goldenPath, actual);
    return;
  }
  const expected = readFileSync(goldenPath, 'utf8');
  expect(actual, `golden file ${name} differs; if the change is intended run \`npm run test:update\` and review the diff`).toBe(expected);
}
