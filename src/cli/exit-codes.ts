/**
 * How the CLI reports failure: one line on stderr and an exit code per error
 * code, so scripts can tell "not found" from "corrupt".
 */
import { GraphhubError, type ErrorCode } from '../model/errors.js';

export const EXIT_CODES: Record<ErrorCode, number> = {
  'invalid-input': 2,
  'not-found': 3,
  ambiguous: 4,
  integrity: 5,
  'source-unavailable': 6,
  conflict: 7,
  unavailable: 8,
};

export function reportError(error: unknown, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): number {
  if (error instanceof GraphhubError) {
    write(`graphhub: ${error.message}`);
    const choices = error.details?.choices;
    if (Array.isArray(choices)) {
      for (const choice of choices.slice(0, 50)) {
        if (typeof choice === 'string') write(`  ${choice}`);
        else {
          const c = choice as { kind: string; qualifiedName: string; file: string; line: number; id: string };
          write(`  ${c.kind.padEnd(9)} ${c.qualifiedName}  ${c.file}:${c.line}  (${c.id})`);
        }
      }
    }
    return EXIT_CODES[error.code];
  }
  write(`graphhub: internal error: ${(error as Error)?.stack ?? String(error)}`);
  return 1;
}
