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

/** Appends are gathered up to this many bytes before one write; reads take a window of this many bytes. */
const BLOCK = 1 << 20;

export class Spill {
  private readonly fd: number;
  private size = 0;
  private closed = false;
  /** Appended and not yet written: what lies past `written`. */
  private pending: Buffer[] = [];
  private written = 0;
  /** The last block read, from offset `windowStart`: a file's fields were appended together and are read together. */
  private window: Buffer | undefined;
  private windowStart = 0;

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

  /**
   * Why in blocks: a write per call cost a repository of 30,000 small files
   * ~90,000 system calls (several local fields per file), and as many reads.
   */
  append(text: string): SpillRef {
    if (this.closed) throw new Error('spill used after close');
    const bytes = Buffer.from(text, 'utf8');
    const ref = { offset: this.size, length: bytes.length };
    this.pending.push(bytes);
    this.size += bytes.length;
    if (this.size - this.written >= BLOCK) this.flush();
    return ref;
  }

  read(ref: SpillRef): string {
    if (this.closed) throw new Error('spill used after close');
    if (ref.offset < 0 || ref.length < 0 || ref.offset + ref.length > this.size) throw new Error('spill reference out of range');
    if (ref.offset + ref.length > this.written) this.flush();
    const window = this.window;
    if (window && ref.offset >= this.windowStart && ref.offset + ref.length <= this.windowStart + window.length) {
      return window.toString('utf8', ref.offset - this.windowStart, ref.offset - this.windowStart + ref.length);
    }
    const length = Math.max(ref.length, Math.min(BLOCK, this.written - ref.offset));
    const bytes = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const got = readSync(this.fd, bytes, read, length - read, ref.offset + read);
      if (got === 0) throw new Error('spill file ended early');
      read += got;
    }
    this.window = bytes;
    this.windowStart = ref.offset;
    return bytes.toString('utf8', 0, ref.length);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.window = undefined;
    closeSync(this.fd);
  }

  private flush(): void {
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
    this.written += bytes.length;
    this.pending = [];
  }
}
