/**
 * Recognisable third-party copies: Go code copied into a repository by hand
 * (runc's internal/third_party/systemd/activation says "It is a partial copy
 * of https://github.com/coreos/go-systemd/v22/activation"). Such a package is
 * indexed and browsable where it sits, but its symbols belong to the module
 * it was copied from, as vendored code does, so calls into it are uses of
 * that module in the wild.
 *
 * Only the package doc comment counts (the comment right above `package`),
 * and only a phrase that names an origin ("copy of", "fork of", "copied
 * from", "forked from", "vendored from", "taken from") followed by something
 * that looks like an import path or a URL of one: a sentence such as
 * "returns a copy of the map" names no host and is ignored.
 */

const ORIGIN_PHRASE = /\b(?:copy|fork)\s+of\s+(\S+)|\b(?:copied|forked|vendored|taken)\s+from\s+(\S+)/gi;

/** Hosts whose repositories are `host/owner/repository` (a module path may add `/vN`). */
const THREE_SEGMENT_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org']);

/** The origin a Go file's package doc comment names, as an import path; undefined when there is none. */
export function copiedFrom(text: string): string | undefined {
  const doc = packageDoc(text);
  if (!doc) return undefined;
  for (const match of doc.matchAll(ORIGIN_PHRASE)) {
    const path = importPathOf(match[1] ?? match[2] ?? '');
    if (path) return path;
  }
  return undefined;
}

/** The comment block directly above the package clause (no blank line between), as plain text. */
function packageDoc(text: string): string | undefined {
  // The package clause comes before any declaration; only the head is read.
  const head = text.slice(0, 16_384);
  const clause = /^package\s+[A-Za-z_]\w*/m.exec(head);
  if (!clause) return undefined;
  const lines = head.slice(0, clause.index).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const block: string[] = [];
  let last = lines.length - 1;
  if (lines[last]?.trimEnd().endsWith('*/')) {
    // A /* … */ block.
    for (; last >= 0; last--) {
      block.unshift(lines[last]!);
      if (lines[last]!.includes('/*')) break;
    }
    return block.join(' ').replace(/\/\*|\*\//g, ' ');
  }
  for (; last >= 0 && lines[last]!.trimStart().startsWith('//'); last--) {
    const line = lines[last]!.trimStart().slice(2);
    // Build constraints and other directives are not documentation.
    if (/^(go:|\+build)/.test(line)) break;
    block.unshift(line);
  }
  return block.length > 0 ? block.join(' ') : undefined;
}

/**
 * `https://github.com/coreos/go-systemd/v22/activation` → that path;
 * `https://github.com/o/r/blob/REV/dir/file.go` → `github.com/o/r/dir`;
 * anything whose first segment is not a host name → undefined.
 */
export function importPathOf(token: string): string | undefined {
  let path = token
    .replace(/^[("'<`[]+/, '')
    .replace(/[)"'>`\],.;:]+$/, '')
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/[?#].*$/, '')
    .replace(/\.git$/, '');
  const segments = path.split('/').filter(Boolean);
  const host = segments[0] ?? '';
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host) || segments.length < 2) return undefined;
  // A web page of a file or folder at a revision: the folder's import path.
  if (THREE_SEGMENT_HOSTS.has(host) && (segments[3] === 'blob' || segments[3] === 'tree') && segments.length > 5) {
    const rest = segments.slice(5);
    if (rest.at(-1)?.endsWith('.go')) rest.pop();
    segments.splice(3, segments.length - 3, ...rest);
  }
  if (!segments.every((segment) => /^[A-Za-z0-9._~-]+$/.test(segment) && segment !== '.' && segment !== '..')) return undefined;
  path = segments.join('/');
  return path;
}

/**
 * The module an origin import path belongs to: the longest module the
 * repository requires (or vendors) that is a prefix of it; else the
 * repository part of a well-known host's path (with its /vN suffix), else
 * the path itself.
 */
export function originModule(path: string, knownModules: Iterable<string>): string {
  let best = '';
  for (const module of knownModules) {
    if ((path === module || path.startsWith(`${module}/`)) && module.length > best.length) best = module;
  }
  if (best) return best;
  const segments = path.split('/');
  const host = segments[0]!;
  let length = segments.length;
  if (THREE_SEGMENT_HOSTS.has(host)) length = 3;
  else if (host === 'golang.org' && segments[1] === 'x') length = 3;
  else if (host === 'gopkg.in') length = 2;
  if (/^v[0-9]+$/.test(segments[length] ?? '')) length++;
  return segments.slice(0, Math.min(length, segments.length)).join('/');
}
