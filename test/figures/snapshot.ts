/**
 * Snapshot comparison for figure SVGs: the expected files are committed under test/fixtures/figures/expected/
 * and compared byte for byte. `UPDATE_SNAPSHOTS=1 npm test -- figures` rewrites them (review the diff,
 * e.g. by opening the SVGs, before committing).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';

export const fixtures = join(packageRoot(), 'test', 'fixtures', 'figures');

export function matchSnapshot(name: string, actual: string): void {
  const path = join(fixtures, 'expected', name);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `no snapshot ${path}: run UPDATE_SNAPSHOTS=1 npm test -- figures to create it`);
  const expected = readFileSync(path, 'utf8');
  if (actual !== expected) {
    const i = [...actual].findIndex((c, k) => c !== expected[k]);
    assert.fail(
      `${name} differs from its snapshot at character ${i}: got …${actual.slice(Math.max(0, i - 40), i + 40)}… expected …${expected.slice(Math.max(0, i - 40), i + 40)}… (UPDATE_SNAPSHOTS=1 to accept)`,
    );
  }
}
