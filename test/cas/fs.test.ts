import { readdirSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContentStore } from '../../src/cas/content-store.js';
import { FsContentStore } from '../../src/cas/fs-content-store.js';
import { tempDir } from '../helpers/temp.js';
import { contentStoreContract } from './contract.js';

contentStoreContract('files', {
  open: async () => new FsContentStore(tempDir()),
  tamper: async (cas: ContentStore, address, bytes) => writeFileSync((cas as FsContentStore).pathOf(address), bytes),
  remove: async (cas: ContentStore, address) => rmSync((cas as FsContentStore).pathOf(address)),
});

describe('file-system content store', () => {
  it('shards blobs two levels deep and leaves no temporary files', async () => {
    const root = tempDir();
    const cas = new FsContentStore(root);
    const address = await cas.put(Buffer.from('x'));
    expect(existsSync(join(root, address.slice(0, 2), address.slice(2, 4), address))).toBe(true);
    expect(readdirSync(join(root, address.slice(0, 2), address.slice(2, 4)))).toEqual([address]);
    const batch = await cas.putMany(Array.from({ length: 50 }, (_, i) => Buffer.from(`blob ${i}`)));
    const names = batch.map((blob) => readdirSync(join(root, blob.slice(0, 2), blob.slice(2, 4)))).flat();
    expect(names.filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });
});
