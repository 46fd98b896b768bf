// Synthetic Go repositories of a chosen size, for scaling measurements:
// packages of files with types, methods, constructors and calls across
// packages, so every resolution strategy does real work.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes about `lines` lines of Go under `root`; returns { files, lines }. */
export function generateGoRepository(root, lines, { module = 'example.com/synthetic', seed = 1 } = {}) {
  let random = seed;
  const next = (n) => {
    random = (random * 1103515245 + 12345) % 2147483648;
    return random % n;
  };
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'go.mod'), `module ${module}\n\ngo 1.21\n`);
  const linesPerFile = 400;
  const filesPerPackage = 10;
  const fileCount = Math.max(1, Math.round(lines / linesPerFile));
  const packageCount = Math.max(1, Math.ceil(fileCount / filesPerPackage));
  let written = 0;
  for (let f = 0; f < fileCount; f++) {
    const pkg = f % packageCount;
    const other = (pkg + 1) % packageCount;
    const dir = join(root, `pkg${pkg}`);
    mkdirSync(dir, { recursive: true });
    const out = [`package pkg${pkg}`, ''];
    if (other !== pkg) out.push(`import other "${module}/pkg${other}"`, '');
    out.push('import "fmt"', '');
    const types = 4;
    for (let t = 0; t < types; t++) {
      const name = `T${f}_${t}`;
      out.push(`// ${name} is a generated type.`, `type ${name} struct {`, '\tname  string', '\tcount int', `\tnext  *${name}`, '}', '');
      out.push(`// New${name} builds a ${name}.`, `func New${name}(name string) *${name} {`, `\treturn &${name}{name: name}`, '}', '');
      for (let m = 0; m < 6; m++) {
        out.push(`func (x *${name}) M${m}(n int) int {`);
        out.push('\tif n <= 0 {', '\t\treturn x.count', '\t}');
        out.push(`\tx.count += n`);
        out.push(`\tif x.next != nil {`, `\t\tx.next.M${(m + 1) % 6}(n - 1)`, '\t}');
        out.push(`\ty := New${name}(fmt.Sprint(n))`, `\ty.M${(m + 2) % 6}(n - 2)`);
        if (other !== pkg && next(3) === 0) out.push(`\tother.F${f + 1 < fileCount ? f + 1 : other}_${next(4)}(n)`);
        out.push(`\treturn helper${f}(n) + len(x.name)`, '}', '');
      }
    }
    for (let g = 0; g < 4; g++) {
      out.push(`func F${f}_${g}(n int) int {`, `\tv := NewT${f}_${g % types}("f")`, `\treturn v.M${g}(n) + helper${f}(n)`, '}', '');
    }
    out.push(`func helper${f}(n int) int {`, '\ttotal := 0', '\tfor i := 0; i < n; i++ {', '\t\ttotal += i', '\t}', '\treturn total', '}', '');
    while (out.length < linesPerFile) out.push(`// padding line ${out.length}`);
    writeFileSync(join(dir, `file${f}.go`), `${out.join('\n')}\n`);
    written += out.length;
  }
  return { files: fileCount, lines: written };
}
