/**
 * The embedded CAS: one file per blob under `<root>/ab/cd/<address>`, sharded
 * by the first two bytes so that no directory holds more than a few thousand
 * entries even for millions of blobs.
 *
 * Writes are atomic: the bytes go to a temporary file in the same directory,
 * are fsynced, then renamed over the final name. A crash leaves either no
 * blob or a whole one; a leftover temporary file is never read as a blob.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
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
    const address = sha256Hex(bytes);
    const finalPath = this.pathOf(address);
    if (await exists(finalPath)) return address;
    const directory = join(this.root, address.slice(0, 2), address.slice(2, 4));
    if (!this.knownDirectories.has(directory)) {
      await fs.mkdir(directory, { recursive: true });
      this.knownDirectories.add(directory);
    }
    const temporary = join(directory, `.tmp-${address.slice(0, 16)}-${randomBytes(6).toString('hex')}`);
    const handle = await fs.open(temporary, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // rename is atomic on POSIX; two writers of the same blob race harmlessly
    // because they write identical bytes.
    await fs.rename(temporary, finalPath);
    return address;
  }

  async get(address: string): Promise<Buffer> {
    const path = this.pathOf(address);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`no blob ${address} in the content store`, { address });
      throw error;
    }
    return verifyContent(address, bytes);
  }

  async has(address: string): Promise<boolean> {
    return exists(this.pathOf(address));
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

async function listDirectory(path: string): Promise<string[]> {
  try {
    return await fs.readdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
