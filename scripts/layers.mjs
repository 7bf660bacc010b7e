// The layer table of src/: the one place the import rule is written down. eslint.config.js enforces it
// (the `layers/imports` rule below), README.md's "## Layout" shows it (test/lint/boundaries.test.ts checks that
// README holds `layoutLines()` verbatim; `node scripts/layers.mjs` prints them).
//
// LAYERS lists src/'s folders lowest first, one level per entry. A file in src/<a>/ may import src/<b>/ only
// when b's level is below a's (or b is a itself); folders on one level do not import each other.
// src/index.ts (the public API) may import any folder. test/, bench/, scripts/ may import anything; web/ (the
// browser UI) any folder of src/, but no Node built-in.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAYERS = [
  { util: 'errors (UsageError and kin), below everything' },
  { linalg: 'dense float64 linear algebra, the seeded RNG' },
  { groups: 'finite groups as Cayley tables; families; classes; the group-name parser' },
  {
    reps: 'real irreducible representations, characters, coefficient bases, character cubes',
    types: 'the shared contract, types only: ModelConfig, NamedTensor, TrainerState, Trainer, BatchTrainer',
  },
  {
    kernels: 'WebAssembly kernels as buffers + phases: memory layouts, worker pool, platform adapters',
    gpu: 'WebGPU device, WGSL sources, dispatch helpers',
    models: 'MLP, bilinear net, transformer: param specs, init, reference forward/backward, loss, hooks',
  },
  { train: 'every trainer (js, wasm, transformer, webgpu), createTrainer/createBatchTrainer, AdamW, split' },
  { measures: 'progress measures as functions of plain matrices; the model view they read' },
  { analysis: 'the reverse-engineering analyses (neurons, ρ extraction, logit computation, ...)' },
  { runs: 'configs, presets, run folders, checkpoints, the training loop (one seed or several)' },
  { figures: 'figures as pure functions to SVG (svg/: the plotting layer); node/: run folders, PNG/PDF' },
  {
    serve: "the dashboard's server (`grokgroups serve`): JSON API, live events, path-safe files",
    sweeps: 'sweep specs, the local and redis queue runners, sweep reports',
    browser: "the dashboard's in-browser training: session, Web Workers, browser kernel platform",
  },
  { cli: 'the commands, each with a declarative option table read by one parser' },
];

/**
 * Where Node built-ins (node:fs, worker_threads, ...) may be imported, relative to src/: the rest of src/ runs
 * in a browser too. A folder covers everything under it.
 */
export const NODE_ONLY = ['cli', 'runs', 'serve', 'sweeps', 'figures/node', 'kernels/node-platform.ts'];

/** folder -> level (0 = lowest). */
export const LEVEL = new Map(LAYERS.flatMap((level, i) => Object.keys(level).map((f) => [f, i])));

/** README's lines for src/: level, folder, what it holds. */
export function layoutLines() {
  const width = Math.max(...[...LEVEL.keys()].map((f) => f.length)) + 6;
  return LAYERS.flatMap((level, i) =>
    Object.entries(level).map(([f, what], j) => `${j === 0 ? String(i).padStart(2) : '  '} ${`src/${f}`.padEnd(width)}${what}`),
  );
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const builtins = new Set(builtinModules);
const isBuiltin = (spec) => spec.startsWith('node:') || builtins.has(spec.split('/')[0]);
const posix = (p) => p.split(sep).join('/');
const under = (path, prefix) => path === prefix || path.startsWith(prefix + '/');

/**
 * Why `file` (absolute) may not import `spec`, or null if it may. Exported for the tests.
 */
export function importProblem(file, spec) {
  const from = posix(relative(root, file));
  if (isBuiltin(spec)) {
    if (under(from, 'web')) return `web/ runs in the browser: no Node built-in ("${spec}")`;
    if (!under(from, 'src')) return null;
    const inSrc = from.slice('src/'.length);
    if (NODE_ONLY.some((p) => under(inSrc, p))) return null;
    return `${from} must also run in a browser: Node built-ins ("${spec}") only in src/{${NODE_ONLY.join(',')}} (scripts/layers.mjs NODE_ONLY)`;
  }
  if (!spec.startsWith('.') || !under(from, 'src')) return null;
  const to = posix(relative(root, resolve(dirname(file), spec)));
  if (!under(to, 'src')) return `${from} imports ${to}: src/ imports only from src/ and packages`;
  const folderOf = (p) => (p.split('/').length > 2 ? p.split('/')[1] : null);
  const a = folderOf(from),
    b = folderOf(to);
  if (a === null || a === b) return null; // src/index.ts is the top; a folder imports itself freely
  if (b === null) return `${from} imports ${to}: only src/index.ts's importers (none inside src/) may`;
  const la = LEVEL.get(a),
    lb = LEVEL.get(b);
  if (la === undefined) return `src/${a}/ is not in the layer table (scripts/layers.mjs LAYERS): add it`;
  if (lb === undefined) return `src/${b}/ is not in the layer table (scripts/layers.mjs LAYERS): add it`;
  if (lb < la) return null;
  const how = lb === la ? 'on the same level as' : 'above';
  return `src/${a} (layer ${la}) may not import src/${b} (layer ${lb}, ${how} it): lower layers never import higher ones (scripts/layers.mjs)`;
}

/** The ESLint plugin: `layers/imports` reports every import (static, dynamic, re-export, import type) importProblem refuses. */
export const layersPlugin = {
  meta: { name: 'grokgroups-layers' },
  rules: {
    imports: {
      meta: { type: 'problem', docs: { description: 'the layer table of scripts/layers.mjs' }, schema: [], messages: { bad: '{{why}}' } },
      create(context) {
        const check = (source) => {
          if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
          const why = importProblem(context.filename, source.value);
          if (why) context.report({ node: source, messageId: 'bad', data: { why } });
        };
        return {
          ImportDeclaration: (n) => check(n.source),
          ExportNamedDeclaration: (n) => check(n.source),
          ExportAllDeclaration: (n) => check(n.source),
          ImportExpression: (n) => check(n.source),
          TSImportType: (n) => check(n.argument?.type === 'TSLiteralType' ? n.argument.literal : (n.source ?? n.argument)),
        };
      },
    },
  },
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) console.log(layoutLines().join('\n'));
