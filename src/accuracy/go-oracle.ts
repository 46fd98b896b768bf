/**
 * Builds and runs the Go oracle (accuracy/go-oracle, go/types from the
 * installed Go tool chain) over one materialized corpus.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPOSITORY_ROOT, type Materialized } from './corpora.js';
import { parseOracleOutput, type OracleRun } from './oracle-records.js';

const ORACLE_SOURCE = join(REPOSITORY_ROOT, 'accuracy', 'go-oracle');

/** Offline, GOPATH mode: no module downloads, vendor/ directories honoured. */
function goEnvironment(gopath: string[]): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: gopath.join(':'),
    GOPROXY: 'off',
    GOFLAGS: '',
    CGO_ENABLED: '0',
    GOTOOLCHAIN: 'local',
  };
}

/** The installed Go's version (`go1.19.8`), or undefined when Go is not installed. */
export function goVersion(): string | undefined {
  try {
    return /go\d+(\.\d+)+/.exec(execFileSync('go', ['version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString())?.[0];
  } catch {
    return undefined;
  }
}

/** Compiles the oracle into `workDir` and returns the binary's path. */
export function buildGoOracle(workDir: string): string {
  const binary = join(workDir, 'go-oracle');
  execFileSync('go', ['build', '-o', binary, '.'], {
    cwd: ORACLE_SOURCE,
    env: { ...process.env, GO111MODULE: 'on', GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return binary;
}

export function runGoOracle(binary: string, corpus: Materialized): OracleRun {
  const output = execFileSync(binary, ['-root', corpus.root], {
    env: goEnvironment(corpus.gopath),
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseOracleOutput(output.toString('utf8'));
}
