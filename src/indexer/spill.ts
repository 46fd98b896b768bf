/**
 * Scratch space for facts an index does not need until late: the local
 * facts of each file (LanguageSupport.localFacts — Go's call sites and
 * local bindings, about 60% of its facts) are appended here as JSON while
 * files are read and read back one file at a time while its calls are
 * resolved. A full index of a large repository then holds only the facts
 * every file's resolution can consult (declarations, imports).
 *
 * The file is unlinked as soon as it is opened: nothing is left behind
 * when the process dies, and nothing outside the scratch directory is
 * touched. Reads and writes are synchronous — small, to the page cache, and
 * the reader is a synchronous resolver.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpillRef {
  offset: number;
  length: number;
}

export class Spill {
  private readonly fd: number;
  private size = 0;
  private closed = false;

  constructor(scratchDir: string = tmpdir()) {
    const directory = mkdtempSync(join(scratchDir, 'graphhub-spill-'));
    try {
      this.fd = openSync(join(directory, 'facts'), 'w+', 0o600);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.size;
  }

  append(text: string): SpillRef {
    if (this.closed) throw new Error('spill used after close');
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written, this.size + written);
    const ref = { offset: this.size, length: bytes.length };
    this.size += bytes.length;
    return ref;
  }

  read(ref: SpillRef): string {
    if (this.closed) throw new Error('spill used after close');
    const bytes = Buffer.allocUnsafe(ref.length);
    let read = 0;
    while (read < ref.length) {
      const got = readSync(this.fd, bytes, read, ref.length - read, ref.offset + read);
      if (got === 0) throw new Error('spill file ended early');
      read += got;
    }
    return bytes.toString('utf8');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
