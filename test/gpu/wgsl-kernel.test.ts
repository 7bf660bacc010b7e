/**
 * The WGSL builders of src/gpu/wgsl-kernel.ts as text: binding numbers in order (several names a spec), the
 * index split, the elementwise prologue, and refusals of specs they cannot read. (The shaders built with them
 * run in test/gpu and test/train/webgpu-*.)
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { bindings, type Bindings, type Digit, elementwiseKernel, LINEAR, split } from '../../src/gpu/wgsl-kernel.js';

test('bindings: numbered in order from first, several names a spec, the comment after the last', () => {
  assert.equal(
    bindings(['uniform u: RowsU', 'read rowA, rowB: u32', 'read_write out: f32 // [S, R]'], 0),
    [
      '@group(0) @binding(0) var<uniform> u: RowsU;',
      '@group(0) @binding(1) var<storage, read> rowA: array<u32>;',
      '@group(0) @binding(2) var<storage, read> rowB: array<u32>;',
      '@group(0) @binding(3) var<storage, read_write> out: array<f32>;   // [S, R]',
    ].join('\n'),
  );
  assert.equal(bindings(['read W: f32'], 1), '@group(0) @binding(1) var<storage, read> W: array<f32>;');
  assert.throws(() => bindings(['read W f32' as Bindings]), /cannot read/);
});

test('split: least significant digit first, `_` for no digit', () => {
  assert.equal(
    split('idx', ['j, st: HE', 't, s: (u.T + 1u)']),
    '  let j = idx % HE;\n  let st = idx / HE;\n  let t = st % (u.T + 1u);\n  let s = st / (u.T + 1u);\n',
  );
  assert.equal(split('idx', ['h, si: u.H', '_, s: u.R']), '  let h = idx % u.H;\n  let si = idx / u.H;\n  let s = si / u.R;\n');
  assert.throws(() => split('idx', ['j st HE' as Digit]), /cannot read/);
});

test('elementwiseKernel: header, bindings, then the index, its bounds test, split and body', () => {
  const code = elementwiseKernel({
    header: `struct CountU { n: u32, pad0: u32, pad1: u32, pad2: u32 }\n${LINEAR}`,
    bindings: ['uniform u: CountU', 'read_write x: f32'],
    index: 'i',
    setup: 'let n = u.n;',
    count: 'n',
    body: '\n  x[i] = 0.0;\n',
  });
  assert.equal(
    code,
    `struct CountU { n: u32, pad0: u32, pad1: u32, pad2: u32 }
${LINEAR}
@group(0) @binding(0) var<uniform> u: CountU;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let i = linear(wg, nwg, l);
  let n = u.n;
  if (i >= n) { return; }
  x[i] = 0.0;
}
`,
  );
});
