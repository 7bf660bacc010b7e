// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner.
// Extra arguments are passed through as a filter on file paths: `npm test -- reps` runs dist/test/reps/*.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const testDir = join(root, 'dist', 'test');
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
})(testDir);
const filters = process.argv.slice(2);
const chosen = files.filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)));
if (chosen.length === 0) {
  console.error(`no test files match ${JSON.stringify(filters)} under ${testDir}`);
  process.exit(1);
}
// The WebGPU tests (test/gpu, test/train/webgpu-trainer.test.ts) run on Chromium's SwiftShader Vulkan driver where no other is chosen (docs/gpu.md).
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env = { ...process.env };
if (!env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) env.VK_ICD_FILENAMES = SWIFTSHADER;
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...chosen], { stdio: 'inherit', cwd: root, env });
process.exit(r.status ?? 1);
