/**
 * `npm run accuracy`: measure graphhub's call edges against compiler-grade
 * oracles and write the records the confidence table is set from.
 *
 *   node dist/accuracy/main.js [--language go|ts|python] [--ci] [--corpus NAME] [--details DIR] [--no-write] [--update-table]
 *
 * --language L   one language (default: every language with an oracle)
 * --ci           the CI-sized corpus set (fixtures plus one small real corpus)
 * --corpus NAME  only corpora whose name contains NAME (implies --no-write)
 * --details DIR  write every wrong edge and missed call per corpus, for study
 * --no-write     print only; do not write accuracy/results/<language>.json
 * --update-table rewrite the rows of src/model/confidence.ts this run measured
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { ciCorpora, debianPackages, fullCorpora, REPOSITORY_ROOT, type CorpusLanguage } from './corpora.js';
import { buildGoOracle, goVersion } from './go-oracle.js';
import { measureCorpus, type CorpusResult } from './measure-corpus.js';
import { jediVersion } from './py-oracle.js';
import { buildRecord, renderRecord, type RunRecord } from './report.js';
import { updateConfidenceTable } from './table-update.js';

const LANGUAGES: CorpusLanguage[] = ['go', 'ts', 'python'];

const { values } = parseArgs({
  options: {
    language: { type: 'string' },
    ci: { type: 'boolean', default: false },
    corpus: { type: 'string' },
    details: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'update-table': { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  const languages = values.language ? LANGUAGES.filter((language) => language === values.language) : LANGUAGES;
  if (languages.length === 0) {
    process.stderr.write(`accuracy: no oracle for language ${values.language} (have: ${LANGUAGES.join(', ')})\n`);
    return 2;
  }
  const records: RunRecord[] = [];
  for (const language of languages) {
    const record = await measureLanguage(language);
    if (!record) return 2;
    records.push(record);
  }
  if (values['update-table']) {
    const path = join(REPOSITORY_ROOT, 'src', 'model', 'confidence.ts');
    let text = readFileSync(path, 'utf8');
    for (const record of records) text = updateConfidenceTable(text, record);
    writeFileSync(path, text);
    process.stderr.write(`updated ${path}\n`);
  }
  return 0;
}

async function measureLanguage(language: CorpusLanguage): Promise<RunRecord | undefined> {
  let corpora = values.ci ? ciCorpora(language) : fullCorpora(language);
  if (values.corpus) corpora = corpora.filter((corpus) => corpus.name.includes(values.corpus!));
  let oracleDescription: string;
  const workDir = mkdtempSync(join(tmpdir(), 'graphhub-accuracy-run-'));
  const results: CorpusResult[] = [];
  try {
    let oracleBinary: string | undefined;
    if (language === 'go') {
      const version = goVersion();
      if (!version) {
        process.stderr.write('accuracy: Go is not installed; the Go oracle needs it (apt-get install -y golang-go)\n');
        return undefined;
      }
      oracleBinary = buildGoOracle(workDir);
      oracleDescription = `go/types (${version}), accuracy/go-oracle`;
    } else if (language === 'ts') {
      oracleDescription = `TypeScript ${ts.version} type checker, src/accuracy/ts-oracle.ts`;
    } else {
      const version = jediVersion();
      if (!version) {
        process.stderr.write('accuracy: jedi is not installed for Debian\'s python3; the Python oracle needs it (apt-get install -y python3-jedi)\n');
        return undefined;
      }
      oracleDescription = `jedi ${version} static inference (not a compiler: the best Python oracle here), accuracy/py-oracle`;
    }
    for (const corpus of corpora) {
      process.stderr.write(`measuring ${language} ${corpus.name}…\n`);
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
  const record = buildRecord(language, command, oracleDescription, results);
  process.stdout.write(`${renderRecord(record, results)}\n\n`);

  if (values.details) {
    mkdirSync(values.details, { recursive: true });
    for (const result of results) {
      const file = join(values.details, `${language}-${result.corpus.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
      const wrong = result.score.edges.filter((edge) => edge.verdict !== 'correct');
      writeFileSync(file, `${JSON.stringify({ wrong, misses: result.misses, zeroCallers: result.zeroCallers }, null, 1)}\n`);
    }
  }
  const write = !values.ci && !values.corpus && !values['no-write'];
  if (write) {
    mkdirSync(join(REPOSITORY_ROOT, 'accuracy', 'results'), { recursive: true });
    const path = join(REPOSITORY_ROOT, 'accuracy', 'results', `${language}.json`);
    writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
    process.stderr.write(`wrote ${path}\n`);
  }
  return record;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`accuracy: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
