// Build: TypeScript -> dist/, AssemblyScript kernels (assembly/*.ts) -> build/*.wasm.
// Runs from `npm ci` (prepare), `npm test` and `npm run bench`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(bin('tsc'), ['-p', join(root, 'tsconfig.json')]);

const asmDir = join(root, 'assembly');
if (existsSync(asmDir)) {
  mkdirSync(join(root, 'build'), { recursive: true });
  for (const f of readdirSync(asmDir)) {
    if (!f.endsWith('.ts') || f.endsWith('.d.ts') || f.startsWith('_')) continue;
    const out = join(root, 'build', f.replace(/\.ts$/, '.wasm'));
    run(bin('asc'), [
      join('assembly', f),
      '--outFile',
      out,
      '-O3',
      '--noAssert',
      '--runtime',
      'stub',
      '--enable',
      'simd',
      '--enable',
      'threads',
      '--importMemory',
      '--sharedMemory',
      '--initialMemory',
      '1',
      '--maximumMemory',
      '65536',
    ]);
  }
}

// The dashboard's web UI (web/ -> dist-web/, docs/dashboard.md).
const { buildWeb } = await import('./build-web.mjs');
await buildWeb();
