/**
 * Synthetic Go repositories of a chosen size, for tests that need indexing
 * to take a moment (a worker to be killed in the middle of) or many rows.
 */
export function goCorpus(module: string, files: number, functionsPerFile: number): Record<string, string> {
  const corpus: Record<string, string> = { 'go.mod': `module ${module}\n\ngo 1.22\n` };
  for (let f = 0; f < files; f++) {
    const lines = ['package main', '', 'import "fmt"', ''];
    for (let i = 0; i < functionsPerFile; i++) {
      const next = `f${(f + 1) % files}_${(i * 7) % functionsPerFile}`;
      lines.push(`// f${f}_${i} calls a function of the next file and fmt.`);
      lines.push(`func f${f}_${i}(n int) int {`);
      lines.push(`\tif n > 0 {`, `\t\treturn ${next}(n - 1)`, `\t}`);
      lines.push(`\tfmt.Println(n)`, `\treturn n`, `}`, '');
    }
    corpus[`file${f}.go`] = lines.join('\n');
  }
  corpus['main.go'] = 'package main\n\nfunc main() {\n\tf0_0(3)\n}\n';
  return corpus;
}
