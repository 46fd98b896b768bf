/**
 * Progress on a terminal: one line rewritten in place on stderr; nothing
 * when stderr is not a terminal, so logs and pipes stay clean.
 */
import type { Progress } from '../indexer/index-repository.js';

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ((progress: Progress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  return (progress) => {
    const now = Date.now();
    if (progress.phase === 'reading' && progress.done < progress.total && now - last < 100) return;
    last = now;
    const text = progress.phase === 'reading' ? `reading ${progress.done}/${progress.total} files` : `${progress.phase}…`;
    stream.write(`\r\x1b[2K${text}`);
    if (progress.phase === 'done') stream.write('\r\x1b[2K');
  };
}
