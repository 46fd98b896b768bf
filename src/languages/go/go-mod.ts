/**
 * go.mod and vendor/modules.txt readers. Both are outside input: a malformed
 * line becomes an error message in `problems`, never an exception.
 */
export interface GoModRequire {
  path: string;
  version: string;
  indirect: boolean;
}

export interface GoModReplace {
  from: string;
  fromVersion?: string;
  to: string;
  toVersion?: string;
}

export interface GoMod {
  module: string;
  goVersion?: string;
  requires: GoModRequire[];
  replaces: GoModReplace[];
  problems: Array<{ line: number; message: string }>;
}

/** Splits a go.mod line into tokens, honouring "quoted" and `raw` strings and // comments. */
function tokenize(line: string): { tokens: string[]; comment: string } {
  const tokens: string[] = [];
  let index = 0;
  while (index < line.length) {
    const char = line[index]!;
    if (char === ' ' || char === '\t' || char === '\r') {
      index++;
    } else if (line.startsWith('//', index)) {
      return { tokens, comment: line.slice(index + 2).trim() };
    } else if (char === '"' || char === '`') {
      const end = line.indexOf(char, index + 1);
      const stop = end < 0 ? line.length : end;
      tokens.push(line.slice(index + 1, stop));
      index = stop + 1;
    } else {
      let end = index;
      while (end < line.length && !/[\s]/.test(line[end]!) && !line.startsWith('//', end)) end++;
      tokens.push(line.slice(index, end));
      index = end;
    }
  }
  return { tokens, comment: '' };
}

export function parseGoMod(text: string): GoMod {
  const result: GoMod = { module: '', requires: [], replaces: [], problems: [] };
  let block: string | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, lineIndex) => {
    const lineNumber = lineIndex + 1;
    const { tokens, comment } = tokenize(raw);
    if (tokens.length === 0) return;
    let verb: string;
    let args: string[];
    if (block) {
      if (tokens[0] === ')') {
        block = undefined;
        return;
      }
      verb = block;
      args = tokens;
    } else {
      verb = tokens[0]!;
      args = tokens.slice(1);
      if (args[0] === '(') {
        if (args.length > 1) result.problems.push({ line: lineNumber, message: `unexpected text after "${verb} ("` });
        block = verb;
        return;
      }
    }
    switch (verb) {
      case 'module':
        if (args.length !== 1) result.problems.push({ line: lineNumber, message: 'usage: module path' });
        else result.module = args[0]!;
        break;
      case 'go':
        if (args[0]) result.goVersion = args[0];
        break;
      case 'require':
        if (args.length !== 2) result.problems.push({ line: lineNumber, message: 'usage: require module/path v1.2.3' });
        else result.requires.push({ path: args[0]!, version: args[1]!, indirect: /(^|;)\s*indirect\s*(;|$)/.test(comment) });
        break;
      case 'replace': {
        const arrow = args.indexOf('=>');
        if (arrow < 1 || arrow > 2 || args.length - arrow - 1 < 1 || args.length - arrow - 1 > 2) {
          result.problems.push({ line: lineNumber, message: 'usage: replace module/path [v1.2.3] => other/module [v1.4.5]' });
          break;
        }
        const replace: GoModReplace = { from: args[0]!, to: args[arrow + 1]! };
        if (arrow === 2) replace.fromVersion = args[1]!;
        if (args[arrow + 2]) replace.toVersion = args[arrow + 2]!;
        result.replaces.push(replace);
        break;
      }
      case 'exclude':
      case 'retract':
      case 'toolchain':
      case 'godebug':
      case 'tool':
      case 'ignore':
        break;
      default:
        result.problems.push({ line: lineNumber, message: `unknown directive: ${verb}` });
    }
  });
  if (block) result.problems.push({ line: lines.length, message: `unterminated ${block} block` });
  if (!result.module) result.problems.push({ line: 1, message: 'no module directive' });
  return result;
}

export interface VendoredModule {
  path: string;
  version: string;
  replacement?: string;
  packages: string[];
}

/** vendor/modules.txt: `# module version [=> replacement]` followed by its package paths. */
export function parseModulesTxt(text: string): VendoredModule[] {
  const modules: VendoredModule[] = [];
  let current: VendoredModule | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('## ')) continue;
    if (line.startsWith('# ')) {
      const [left, right] = line.slice(2).split('=>').map((part) => part.trim());
      const [path, version] = (left ?? '').split(/\s+/);
      if (!path) {
        current = undefined;
        continue;
      }
      current = { path, version: version ?? '', packages: [] };
      if (right) current.replacement = right;
      modules.push(current);
    } else if (current && !line.startsWith('#')) {
      current.packages.push(line);
    }
  }
  return modules;
}
