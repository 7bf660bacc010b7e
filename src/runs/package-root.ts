/**
 * The grokgroups package folder (where package.json and configs/ live), found by walking up from this
 * module, so it works from dist/src/runs/ (built) and from src/runs/ (tsx) alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, 'package.json');
    if (existsSync(p) && (JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'grokgroups') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the grokgroups package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The package version from package.json (written into every cfg.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
