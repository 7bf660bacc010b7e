/**
 * Writes a whole file so that readers (and a run killed at any moment) see either the old content or the
 * new one, never a torn file: write to a temporary name in the same folder, then rename over it (rename is
 * atomic within a file system). No fsync: this guards against the process dying (kill -9), which is what
 * resume needs, and keeps the many small early checkpoints fast.
 */
import { closeSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/** Removes the temporary files a killed writer left in a folder (names `.<file>.<pid>.<n>.tmp`). */
export function removeStaleTemporaries(dir: string): void {
  for (const name of readdirSync(dir)) if (/^\..+\.\d+\.\d+\.tmp$/.test(name)) rmSync(join(dir, name), { force: true });
}
