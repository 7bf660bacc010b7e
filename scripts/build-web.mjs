// Build the dashboard's web UI (web/) into dist-web/: TypeScript bundles by esbuild, plus the static files.
// The result is self-contained static files: `grokgroups serve` serves them with its API, and any static
// host can serve them alone (then the UI shows what needs no server). Run by scripts/build.mjs (so
// `npm ci`, `npm run build` and `npm test` make it) and by `npm run build:web`.
// `--no-typecheck` skips the type check of web/ (tsc -p web/tsconfig.json), e.g. while iterating.
//
// Adding a bundle (say a Web Worker): add an entry to ENTRIES; it is written to dist-web/<out>.js, and the
// page loads it by that relative URL (new Worker('train-worker.js', { type: 'module' })).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist-web');

/** The bundles: esbuild entry point (relative to the package root) -> output name (without .js). */
export const ENTRIES = [
  { in: 'web/src/main.ts', out: 'app' },
  // In-browser training (docs/dashboard.md): the session's Web Worker and the kernel threads' workers.
  { in: 'src/browser/train-worker.ts', out: 'train-worker' },
  { in: 'src/browser/kernel-worker.ts', out: 'kernel-worker' },
];

/** The compiled kernels (build/*.wasm, made by scripts/build.mjs) are copied to dist-web/wasm/. */
export const WASM_DIR = 'wasm';

/**
 * src/kernels/platform.ts falls back to the Node adapter by a dynamic import; the browser bundles install
 * their own platform first, so that import is replaced by a module that says so (and keeps node: imports
 * out of the bundle).
 */
const noNodePlatform = {
  name: 'no-node-platform',
  setup(b) {
    b.onResolve({ filter: /[\\/]node-platform\.js$/ }, (a) => ({ path: a.path, namespace: 'no-node-platform' }));
    b.onLoad({ filter: /.*/, namespace: 'no-node-platform' }, () => ({
      contents:
        "export const nodePlatform = null; throw new Error('the Node kernel platform is not in the browser bundle: call setKernelPlatform first');",
      loader: 'js',
    }));
  },
};

/** Copied as they are. */
export const STATIC_FILES = ['web/index.html', 'web/style.css'];

export async function buildWeb({ typecheck = true, minify = true } = {}) {
  if (typecheck) execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'web', 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ENTRIES.map((e) => ({ in: join(root, e.in), out: e.out })),
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [noNodePlatform],
  });
  const wasm = join(root, 'build');
  if (existsSync(wasm)) {
    mkdirSync(join(outdir, WASM_DIR), { recursive: true });
    for (const f of readdirSync(wasm)) if (f.endsWith('.wasm')) copyFileSync(join(wasm, f), join(outdir, WASM_DIR, f));
  }
  for (const f of STATIC_FILES) if (existsSync(join(root, f))) copyFileSync(join(root, f), join(outdir, f.split('/').pop()));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWeb({ typecheck: !process.argv.includes('--no-typecheck') });
  console.log(`web UI built in ${outdir}`);
}
