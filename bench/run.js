#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.js script in turn (each prints its own figures).
// Pass names to run some: `npm run bench -- index-speed wild`.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((name) => name.endsWith('.bench.js'))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)))
  .sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n=== ${script}`);
  const result = spawnSync(process.execPath, [join(here, script)], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
