// The layer rule (scripts/layers.mjs, enforced by eslint.config.js's `layers/imports`): planted violations are
// reported, allowed imports are not, the real tree passes, and README's Layout shows the same table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { packageRoot } from '../../src/runs/package-root.js';

const root = packageRoot();
const eslint = new ESLint({ cwd: root });
const layers = (await import(pathToFileURL(join(root, 'scripts', 'layers.mjs')).href)) as {
  LEVEL: Map<string, number>;
  layoutLines(): string[];
};

/** The layer rule's messages on `code` as if it were the file `path` (relative to the package root; need not exist). */
async function layerMessages(path: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: join(root, path) });
  return r!.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

test('lintText: a file in src/linalg importing ../cli/main.js is reported by layers/imports', async () => {
  const msgs = await layerMessages('src/linalg/planted.ts', "import { main } from '../cli/main.js';\nexport const m = main;\n");
  assert.equal(msgs.length, 1);
  assert.match(msgs[0]!, /src\/linalg \(layer 1\) may not import src\/cli \(layer 11, above it\)/);
});

test('lintText: same-level, re-export, import type, dynamic import and deep upward imports are reported', async () => {
  const cases: [string, string][] = [
    ['src/models/planted.ts', "export { PhasePool } from '../kernels/phase-pool.js';\n"],
    ['src/kernels/planted.ts', "export * from '../train/create-trainer.js';\n"],
    ['src/types/planted.ts', "import type { Irrep } from '../reps/irrep.js';\nexport type I = Irrep;\n"],
    ['src/measures/planted.ts', "export const load = () => import('../runs/config.js');\n"],
    ['src/figures/node/planted.ts', "import { modelJson } from '../../serve/model-data.js';\nexport const j = modelJson;\n"],
    ['src/util/planted.ts', "import { x } from '../../test/helpers.js';\nexport const y = x;\n"],
  ];
  for (const [path, code] of cases) assert.equal((await layerMessages(path, code)).length, 1, `${path}: ${code}`);
});

test('lintText: imports down the table, within a folder, and from src/index.ts, test/, web/ are allowed', async () => {
  const cases: [string, string][] = [
    [
      'src/train/planted.ts',
      "import { paramSpecs } from '../models/init.js';\nimport type { Trainer } from '../types/trainer.js';\nexport const p = paramSpecs;\nexport type T = Trainer;\n",
    ],
    [
      'src/figures/node/planted.ts',
      "import { logitCubes } from '../logit-cubes.js';\nimport { FILES } from '../../runs/run-folder.js';\nexport const x = [logitCubes, FILES];\n",
    ],
    ['src/planted.ts', "export { main } from './cli/main.js';\n"],
    ['test/linalg/planted.test.ts', "export { main } from '../../src/cli/main.js';\n"],
    ['web/src/planted.ts', "export { modelView } from '../../src/measures/model-view.js';\n"],
  ];
  for (const [path, code] of cases) assert.deepEqual(await layerMessages(path, code), [], `${path}: ${code}`);
});

test('lintText: Node built-ins only where NODE_ONLY allows (not in src/measures, src/browser, web/)', async () => {
  const fs = "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n";
  for (const path of ['src/measures/planted.ts', 'src/browser/planted.ts', 'src/figures/planted.ts', 'web/src/planted.ts'])
    assert.equal((await layerMessages(path, fs)).length, 1, path);
  assert.equal((await layerMessages('src/train/planted.ts', "import { Worker } from 'worker_threads';\nexport const w = Worker;\n")).length, 1);
  for (const path of ['src/runs/planted.ts', 'src/figures/node/planted.ts', 'src/kernels/node-platform.ts', 'test/planted.test.ts'])
    assert.deepEqual(await layerMessages(path, fs), [], path);
});

test('lintText: src/types holds declarations only', async () => {
  const [r] = await eslint.lintText('export interface A { x: number }\nexport const a = 1;\n', { filePath: join(root, 'src/types/planted.ts') });
  assert.deepEqual(
    r!.messages.map((m) => [m.line, m.ruleId]),
    [[2, 'no-restricted-syntax']],
  );
});

test('the real tree passes the lint (src/, web/src)', async () => {
  const results = await eslint.lintFiles(['src', 'web/src']);
  const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}: ${m.message} (${m.ruleId})`));
  assert.deepEqual(problems, []);
});

test("every src/ folder is in the layer table, and README's Layout shows the table", () => {
  const folders = readdirSync(join(root, 'src'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  assert.deepEqual(folders.sort(), [...layers.LEVEL.keys()].sort());
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const expected = layers.layoutLines().join('\n');
  assert.ok(readme.includes(expected), `README.md's Layout must contain \`node scripts/layers.mjs\`'s output:\n${expected}`);
});
