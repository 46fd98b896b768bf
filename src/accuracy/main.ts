/**
 * `npm run accuracy`: measure graphhub's call edges against compiler-grade
 * oracles and write the record the confidence table is set from.
 *
 *   node dist/accuracy/main.js [--ci] [--corpus NAME] [--details DIR] [--no-write] [--update-table]
 *
 * --ci           the CI-sized corpus set (fixtures plus one small real corpus)
 * --corpus NAME  only corpora whose name contains NAME (implies --no-write)
 * --details DIR  write every wrong edge and missed call per corpus, for study
 * --no-write     print only; do not write accuracy/results/<language>.json
 * --update-table rewrite the measured rows of src/model/confidence.ts from this run
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ciCorpora, debianPackages, fullCorpora, REPOSITORY_ROOT } from './corpora.js';
import { buildGoOracle, goVersion } from './go-oracle.js';
import { measureCorpus, type CorpusResult } from './measure-corpus.js';
import { buildRecord, renderRecord } from './report.js';
import { updateConfidenceTable } from './table-update.js';

const { values } = parseArgs({
  options: {
    ci: { type: 'boolean', default: false },
    corpus: { type: 'string' },
    details: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'update-table': { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  const version = goVersion();
  if (!version) {
    process.stderr.write('accuracy: Go is not installed; the Go oracle needs it (apt-get install -y golang-go)\n');
    return 2;
  }
  let corpora = values.ci ? ciCorpora() : fullCorpora();
  if (values.corpus) corpora = corpora.filter((corpus) => corpus.name.includes(values.corpus!));
  const workDir = mkdtempSync(join(tmpdir(), 'graphhub-accuracy-run-'));
  const results: CorpusResult[] = [];
  try {
    const oracleBinary = buildGoOracle(workDir);
    for (const corpus of corpora) {
      process.stderr.write(`measuring ${corpus.name}…\n`);
      const result = await measureCorpus(corpus, { oracleBinary });
      if (result.skipped) process.stderr.write(`  skipped: ${result.skipped}\n`);
      results.push(result);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const missing = debianPackages(results.filter((result) => result.skipped).map((result) => result.corpus));
  if (missing.length > 0) process.stderr.write(`to measure the skipped corpora: apt-get install -y ${missing.join(' ')}\n`);

  const command = values.ci ? 'npm run accuracy -- --ci' : 'npm run accuracy';
  const record = buildRecord('go', command, `go/types (${version}), accuracy/go-oracle`, results);
  process.stdout.write(`${renderRecord(record, results)}\n`);

  if (values.details) {
    mkdirSync(values.details, { recursive: true });
    for (const result of results) {
      const file = join(values.details, `${result.corpus.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
      const wrong = result.score.edges.filter((edge) => edge.verdict !== 'correct');
      writeFileSync(file, `${JSON.stringify({ wrong, misses: result.misses, zeroCallers: result.zeroCallers }, null, 1)}\n`);
    }
  }
  const write = !values.ci && !values.corpus && !values['no-write'];
  if (write) {
    const path = join(REPOSITORY_ROOT, 'accuracy', 'results', 'go.json');
    mkdirSync(join(REPOSITORY_ROOT, 'accuracy', 'results'), { recursive: true });
    writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
    process.stderr.write(`wrote ${path}\n`);
  }
  if (values['update-table']) {
    const path = join(REPOSITORY_ROOT, 'src', 'model', 'confidence.ts');
    const updated = updateConfidenceTable(readFileSync(path, 'utf8'), record);
    writeFileSync(path, updated);
    process.stderr.write(`updated ${path}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`accuracy: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
