/**
 * Runtime coverage reports (Go coverprofiles and lcov) → coverage blocks of a
 * graph. A report is outside input: anything wrong with it — garbage, a path
 * the graph does not have, lines past the end of a file (a report of another
 * commit) — rejects the whole report with an error naming the problem, and
 * nothing of it is stored.
 */
import type { CoverageBlock, CoverageReportInfo, FileRecord, GraphInfo } from '../model/graph.js';
import { invalidInput } from '../model/errors.js';
import type { GraphStore } from '../store/graph-store.js';

export interface ParsedCoverage {
  format: CoverageReportInfo['format'];
  /** Paths as the report writes them. */
  blocks: CoverageBlock[];
}

const GO_BLOCK = /^(.+):(\d+)\.(\d+),(\d+)\.(\d+) (\d+) (\d+)$/;

export function parseCoverage(text: string): ParsedCoverage {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first < 0) throw invalidInput('coverage report is empty');
  if (/^mode: (set|count|atomic)\s*$/.test(lines[first]!)) return { format: 'go-coverprofile', blocks: parseGo(lines, first + 1) };
  if (/^(TN:|SF:)/.test(lines[first]!)) return { format: 'lcov', blocks: parseLcov(lines) };
  throw invalidInput('not a coverage report: expected a Go coverprofile ("mode: …") or lcov ("TN:"/"SF:")', {
    line: first + 1,
  });
}

function parseGo(lines: string[], start: number): CoverageBlock[] {
  const blocks: CoverageBlock[] = [];
  for (let index = start; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const match = GO_BLOCK.exec(line);
    if (!match) throw invalidInput(`coverprofile line ${index + 1} is not "file:line.col,line.col statements count": ${line.slice(0, 120)}`);
    const startLine = Number(match[2]);
    const endLine = Number(match[4]);
    if (startLine < 1 || endLine < startLine) throw invalidInput(`coverprofile line ${index + 1} has a bad line range ${startLine}–${endLine}`);
    blocks.push({ file: match[1]!, startLine, endLine, hits: Number(match[7]) });
  }
  return blocks;
}

function parseLcov(lines: string[]): CoverageBlock[] {
  const blocks: CoverageBlock[] = [];
  let file: string | undefined;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('TN:')) return;
    if (line.startsWith('SF:')) {
      file = line.slice(3);
      if (!file) throw invalidInput(`lcov line ${index + 1}: empty SF`);
    } else if (line === 'end_of_record') {
      file = undefined;
    } else if (line.startsWith('DA:')) {
      if (!file) throw invalidInput(`lcov line ${index + 1}: DA outside a record`);
      const match = /^DA:(\d+),(\d+)(,.*)?$/.exec(line);
      if (!match || Number(match[1]) < 1) throw invalidInput(`lcov line ${index + 1} is not "DA:line,count": ${line.slice(0, 120)}`);
      blocks.push({ file, startLine: Number(match[1]), endLine: Number(match[1]), hits: Number(match[2]) });
    } else if (!/^(FN|FNDA|FNF|FNH|BRDA|BRF|BRH|LF|LH|VER|FNL|FNA):/.test(line)) {
      throw invalidInput(`lcov line ${index + 1} is not an lcov record: ${line.slice(0, 120)}`);
    }
  });
  return blocks;
}

/**
 * Maps report paths to the graph's files: Go coverprofiles name files by
 * import path (module path + directory), lcov by absolute or relative path.
 */
export function mapCoveragePaths(parsed: ParsedCoverage, files: FileRecord[], modules: Array<{ name: string; directory: string }>): CoverageBlock[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const cache = new Map<string, string | undefined>();
  const resolvePath = (reported: string): string | undefined => {
    if (cache.has(reported)) return cache.get(reported);
    let found: string | undefined;
    if (byPath.has(reported)) found = reported;
    if (!found && parsed.format === 'go-coverprofile') {
      for (const module of modules) {
        if (reported.startsWith(`${module.name}/`)) {
          const relative = reported.slice(module.name.length + 1);
          const candidate = module.directory ? `${module.directory}/${relative}` : relative;
          if (byPath.has(candidate)) found = candidate;
        }
      }
    }
    if (!found) {
      // The longest graph path that the reported path ends with, when only one does.
      const normalized = reported.replace(/\\/g, '/');
      const suffixes = files.filter((file) => normalized === file.path || normalized.endsWith(`/${file.path}`));
      if (suffixes.length === 1) found = suffixes[0]!.path;
    }
    cache.set(reported, found);
    return found;
  };
  const unknown = new Set<string>();
  const blocks: CoverageBlock[] = [];
  for (const block of parsed.blocks) {
    const path = resolvePath(block.file);
    if (!path) {
      unknown.add(block.file);
      continue;
    }
    const record = byPath.get(path)!;
    if (record.lines !== undefined && block.endLine > record.lines) {
      throw invalidInput(
        `coverage for ${block.file} reaches line ${block.endLine} but ${path} has ${record.lines} lines in this graph: is the report from another commit?`,
      );
    }
    blocks.push({ ...block, file: path });
  }
  if (unknown.size > 0) {
    const names = [...unknown].slice(0, 5).join(', ');
    throw invalidInput(`coverage report names ${unknown.size} file(s) that are not in this graph: ${names}${unknown.size > 5 ? ', …' : ''}`);
  }
  return blocks;
}

export async function importCoverage(store: GraphStore, graph: GraphInfo, text: string, source: string): Promise<CoverageReportInfo> {
  const parsed = parseCoverage(text);
  if (parsed.blocks.length === 0) throw invalidInput('coverage report has no coverage blocks');
  const files = await store.listFiles(graph.id);
  const { modules } = await store.modules(graph.id);
  const blocks = mapCoveragePaths(parsed, files, modules);
  const info: CoverageReportInfo = { format: parsed.format, source, importedAt: new Date().toISOString(), blocks: blocks.length };
  await store.replaceCoverage(graph.id, info, blocks);
  return info;
}
