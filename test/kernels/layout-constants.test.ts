import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CFG_WORDS, F, PHASE as MLP_PHASE } from '../../src/kernels/mlp-layout.js';
import { nodePlatform } from '../../src/kernels/node-platform.js';
import { C, CTX_SLOTS, PHASE as T_PHASE } from '../../src/kernels/transformer-layout.js';
import { packageRoot } from '../../src/runs/package-root.js';

/** Every `NAME = <integer>` constant of an AssemblyScript kernel whose name starts with `prefix`. */
function asConstants(file: string, prefix: string): Map<string, number> {
  const src = readFileSync(join(packageRoot(), 'assembly', file), 'utf8');
  const out = new Map<string, number>();
  const re = new RegExp(`\\b${prefix}([A-Z0-9_]+)(?:\\s*:\\s*i32)?\\s*=\\s*(\\d+)\\b`, 'g');
  for (const m of src.matchAll(re)) {
    assert.ok(!out.has(m[1]!), `${file}: ${prefix}${m[1]} defined twice`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function assertSame(what: string, ts: Record<string, number>, as: Map<string, number>): void {
  assert.ok(as.size > 0, `${what}: no constants found in the AssemblyScript source`);
  assert.deepEqual(new Map(Object.entries(ts).sort()), new Map([...as].sort()), what);
}

test('the test parser finds constants and would see a difference', () => {
  const f = asConstants('mlp.ts', 'F_');
  assert.equal(f.get('N'), 0);
  assert.throws(() => assertSame('planted', { ...F, EPS: F.EPS + 1 }, f));
});

test('the MLP config fields, CFG_WORDS and phases of src/kernels/mlp-layout.ts are those of assembly/mlp.ts', async () => {
  assertSame('F', F, asConstants('mlp.ts', 'F_'));
  assertSame('PHASE', MLP_PHASE, asConstants('mlp.ts', 'PHASE_'));
  assert.equal(asConstants('mlp.ts', 'CFG_').get('WORDS'), CFG_WORDS);
  // and the compiled module reports the same block size
  const module = await nodePlatform.loadModule('mlp');
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const k = new WebAssembly.Instance(module, { env: { memory, abort: () => {} } }).exports as { cfg_words(): number };
  assert.equal(k.cfg_words(), CFG_WORDS);
  const top = Math.max(...Object.values(F));
  assert.ok(top < CFG_WORDS, `field ${top} outside the ${CFG_WORDS}-word block`);
});

test('the transformer context slots, CTX_SLOTS and phases of src/kernels/transformer-layout.ts are those of assembly/transformer.ts', () => {
  assertSame('C', C, asConstants('transformer.ts', 'C_'));
  assertSame('PHASE', T_PHASE, asConstants('transformer.ts', 'PHASE_'));
  assert.equal(asConstants('transformer.ts', 'CTX_').get('SLOTS'), CTX_SLOTS);
  assert.ok(Math.max(...Object.values(C)) < CTX_SLOTS);
});
