/**
 * Runs the Python oracle (accuracy/py-oracle/oracle.py: jedi's static
 * inference, from Debian's python3-jedi, under Debian's python3) over one
 * materialized corpus. Jedi is the best Python oracle that can be had here;
 * it is not a compiler, and the report says so.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from './corpora.js';
import { parseOracleOutput, type OracleRun } from './oracle-records.js';

/** Debian's interpreter, where python3-jedi installs; not a virtual environment's. */
const PYTHON = '/usr/bin/python3';
const ORACLE = join(REPOSITORY_ROOT, 'accuracy', 'py-oracle', 'oracle.py');

/** jedi's version under Debian's python3, or undefined when it is not installed. */
export function jediVersion(): string | undefined {
  try {
    return execFileSync(PYTHON, ['-c', 'import jedi; print(jedi.__version__)'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

export function runPyOracle(root: string): OracleRun {
  const output = execFileSync(PYTHON, [ORACLE, root], {
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: '' },
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ...parseOracleOutput(output.toString('utf8')), matching: { caller: 'site', callee: 'loose' } };
}
