// Runs every compiled benchmark (dist/bench/**/*.bench.js) in turn, or those whose path contains an argument.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'dist', 'bench');
const files = [];
(function walk(d) {
  if (!existsSync(d)) return;
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.bench.js')) files.push(p);
  }
})(dir);
const filters = process.argv.slice(2);
let failed = 0;
for (const f of files.filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)))) {
  console.log(`\n== ${relative(root, f)}`);
  const r = spawnSync(process.execPath, [f], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
