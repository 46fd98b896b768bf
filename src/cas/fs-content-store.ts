/**
 * The embedded CAS: one file per blob under `<root>/ab/cd/<address>`, sharded
 * by the first two bytes so that no directory holds more than a few thousand
 * entries even for millions of blobs.
 *
 * Writes are atomic: the bytes go to a temporary file in the same directory,
 * are fsynced, then renamed over the final name, and the directory is
 * fsynced. A crash leaves either no blob or a whole one; a leftover
 * temporary file is never read as a blob.
 */
import { closeSync, existsSync, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { notFound } from '../model/errors.js';
import { assertAddress, sha256Hex, verifyContent, type ContentStore } from './content-store.js';

const HEX2 = /^[0-9a-f]{2}$/;
const ADDRESS = /^[0-9a-f]{64}$/;

export class FsContentStore implements ContentStore {
  readonly root: string;
  /** Shard directories already known to exist, so a put costs no mkdir. */
  private readonly knownDirectories = new Set<string>();

  constructor(root: string) {
    this.root = root;
  }

  pathOf(address: string): string {
    assertAddress(address);
    return join(this.root, address.slice(0, 2), address.slice(2, 4), address);
  }

  async put(bytes: Uint8Array): Promise<string> {
    return (await this.putMany([bytes]))[0]!;
  }

  /**
   * Every new blob is written to a temporary file and fsynced; only once all
   * of them are on disk are they renamed into place, and then each directory
   * that gained a name is fsynced once (with the parents of directories
   * made here), so the names survive a crash too. Writing a batch this way
   * lets the fsyncs run side by side and costs one directory fsync per
   * directory instead of one per blob.
   */
  async putMany(items: Uint8Array[]): Promise<string[]> {
    const addresses = items.map((bytes) => sha256Hex(bytes));
    const fresh = new Map<string, Uint8Array>();
    addresses.forEach((address, index) => fresh.set(address, items[index]!));
    const present = await Promise.all([...fresh.keys()].map((address) => exists(this.pathOf(address))));
    [...fresh.keys()].forEach((address, index) => {
      if (present[index]) fresh.delete(address);
    });
    if (fresh.size === 0) return addresses;

    const touched = new Set<string>();
    for (const address of fresh.keys()) touched.add(join(this.root, address.slice(0, 2), address.slice(2, 4)));
    const unknown = [...touched].filter((directory) => !this.knownDirectories.has(directory));
    const made = await Promise.all(unknown.map((directory) => fs.mkdir(directory, { recursive: true })));
    unknown.forEach((directory, index) => {
      this.knownDirectories.add(directory);
      // Directories made here are new names in their parents, which must be made durable too.
      const first = made[index];
      if (first === undefined) return;
      for (let parent = dirname(directory); ; parent = dirname(parent)) {
        touched.add(parent);
        if (parent.length <= first.length || parent === dirname(parent)) break;
      }
      touched.add(dirname(first));
    });
    const written: Array<{ temporary: string; finalPath: string }> = [];
    try {
      await Promise.all(
        [...fresh].map(async ([address, bytes]) => {
          const finalPath = this.pathOf(address);
          const temporary = join(dirname(finalPath), `.tmp-${address.slice(0, 16)}-${randomBytes(6).toString('hex')}`);
          const handle = await fs.open(temporary, 'wx');
          written.push({ temporary, finalPath });
          try {
            await handle.writeFile(bytes);
            await handle.sync();
          } finally {
            await handle.close();
          }
        }),
      );
    } catch (error) {
      // Nothing was renamed yet: no name points at bytes that may not be on disk.
      await Promise.all(written.map(({ temporary }) => fs.rm(temporary, { force: true })));
      throw error;
    }
    // rename is atomic on POSIX; two writers of the same blob race harmlessly
    // because they write identical bytes.
    await Promise.all(written.map(({ temporary, finalPath }) => fs.rename(temporary, finalPath)));
    await Promise.all([...touched].map((directory) => syncDirectory(directory)));
    return addresses;
  }

  /** Nothing to do: putMany makes its blobs durable before it resolves. */
  async sync(): Promise<void> {}

  async get(address: string): Promise<Buffer> {
    const path = this.pathOf(address);
    let bytes: Buffer;
    try {
      bytes = readSmall(path) ?? (await fs.readFile(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`no blob ${address} in the content store`, { address });
      throw error;
    }
    return verifyContent(address, bytes);
  }

  async has(address: string): Promise<boolean> {
    // A synchronous stat: an index asks this of every unchanged file, and awaiting an access() on the
    // thread pool for each cost runc's watch re-index ~25 ms of its ~400.
    return existsSync(this.pathOf(address));
  }

  async hasMany(addresses: readonly string[]): Promise<Set<string>> {
    // pathOf rejects a malformed address before any file is looked at.
    return new Set(addresses.filter((address) => existsSync(this.pathOf(address))));
  }

  async *addresses(): AsyncIterable<string> {
    for (const first of await listDirectory(this.root)) {
      if (!HEX2.test(first)) continue;
      for (const second of await listDirectory(join(this.root, first))) {
        if (!HEX2.test(second)) continue;
        for (const name of await listDirectory(join(this.root, first, second))) {
          if (ADDRESS.test(name) && name.startsWith(first + second)) yield name;
        }
      }
    }
  }

  async close(): Promise<void> {
    this.knownDirectories.clear();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await fs.open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function listDirectory(path: string): Promise<string[]> {
  try {
    return await fs.readdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Blobs up to this size are read synchronously. A hub page reads one or two
 * source files of some kilobytes: from the page cache that takes tens of
 * microseconds, while an asynchronous read is four trips through libuv's
 * thread pool (open, stat, read, close), each waiting for a turn of the
 * event loop — measured as the symbol page's p99 (≈ 6–15 ms of waiting
 * against ≈ 1 ms when read in line). Up to 1 MiB, the largest file an
 * index parses (so every symbol's source): a 338 KB generated file of
 * Debian's x/sys cost its symbols' pages 2.5 ms, 1.5 of them waiting; read
 * in line it takes ~0.1 ms. Larger blobs keep the event loop free.
 */
const SYNC_READ_LIMIT = 1024 * 1024;

function readSmall(path: string): Buffer | undefined {
  const descriptor = openSync(path, 'r');
  try {
    const { size } = fstatSync(descriptor);
    if (size > SYNC_READ_LIMIT) return undefined;
    const bytes = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const read = readSync(descriptor, bytes, offset, size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return offset === size ? bytes : bytes.subarray(0, offset);
  } finally {
    closeSync(descriptor);
  }
}
