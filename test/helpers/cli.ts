/** Runs the real `graphhub` executable (bin/graphhub.js over dist/), as a user would. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/graphhub.js', import.meta.url));

export interface CliResult {
  /** The exit code; -1 when the process was ended by a signal (see `signal`). */
  code: number;
  stdout: string;
  stderr: string;
  signal: NodeJS.Signals | null;
}

export function graphhub(dataDir: string, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [BIN, '--data', dataDir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

export function graphhubJson<T>(dataDir: string, ...args: string[]): T {
  const result = graphhub(dataDir, ...args, '--json');
  if (result.code !== 0) throw new Error(`graphhub ${args.join(' ')} failed (${result.code}${result.signal ? `, ${result.signal}` : ''}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
