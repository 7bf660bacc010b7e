import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from '../../src/runs/safetensors.js';

test('encodeSafetensors/decodeSafetensors round trip F32 and F64 with metadata', () => {
  const a = new Float32Array([1.5, -2.25, 3e-8, 3.4e38, -0, 7]);
  const b = new Float64Array([Math.PI, -1e300, 5e-324]);
  const bytes = encodeSafetensors(
    [
      { name: 'W_x', shape: [2, 3], data: a },
      { name: 'scalar.exp_avg', shape: [3], data: b },
      { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
    ],
    { step: '12', epoch: '11' },
  );
  const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + headerLen) % 8, 0, 'data section is 8-byte aligned');
  const f = decodeSafetensors(bytes);
  assert.deepEqual(f.metadata, { step: '12', epoch: '11' });
  assert.deepEqual(f.tensors.map((t) => t.name), ['W_x', 'scalar.exp_avg', 'empty']);
  assert.deepEqual(f.tensors[0]!.shape, [2, 3]);
  assert.ok(f.tensors[0]!.data instanceof Float32Array);
  assert.deepEqual([...f.tensors[0]!.data], [...a]);
  assert.ok(Object.is(f.tensors[0]!.data[4], -0));
  assert.ok(f.tensors[1]!.data instanceof Float64Array);
  assert.deepEqual([...f.tensors[1]!.data], [...b]);
  assert.deepEqual(f.tensors[2]!.shape, [0, 4]);
});

test('decodeSafetensors reads a file hand-built byte by byte from the format spec', () => {
  // Header: {"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":"v"}}, no padding
  // required by readers; data: 1.0f (00 00 80 3f), -2.0f (00 00 00 c0).
  const json = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":"v"}}';
  const bytes = [json.length, 0, 0, 0, 0, 0, 0, 0, ...[...json].map((c) => c.charCodeAt(0)), 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0];
  const f = decodeSafetensors(new Uint8Array(bytes));
  assert.deepEqual(f.metadata, { k: 'v' });
  assert.equal(f.tensors.length, 1);
  assert.equal(f.tensors[0]!.name, 'w');
  assert.deepEqual([...f.tensors[0]!.data], [1, -2]);
  // And our encoder produces these exact data bytes after its (padded) header.
  const ours = encodeSafetensors([{ name: 'w', shape: [2], data: new Float32Array([1, -2]) }]);
  assert.deepEqual([...ours.slice(-8)], [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
  const ourJson = Buffer.from(ours.slice(8, ours.length - 8)).toString('utf8').trimEnd();
  assert.deepEqual(JSON.parse(ourJson), { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } });
});

test('decodeSafetensors rejects truncated or inconsistent files', () => {
  const good = encodeSafetensors([{ name: 'w', shape: [2, 2], data: new Float32Array(4) }]);
  assert.throws(() => decodeSafetensors(good.slice(0, good.length - 1)), /not a valid safetensors/);
  assert.throws(() => decodeSafetensors(good.slice(0, 5)), /not a valid safetensors/);
  const json = '{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}';
  const bad = new Uint8Array([json.length, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from(json), ...new Uint8Array(8)]);
  assert.throws(() => decodeSafetensors(bad), /inconsistent/);
});

test('writeSafetensors/readSafetensors go through a file and leave no temporary behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-st-'));
  try {
    const p = join(dir, 'model.safetensors');
    const data = new Float32Array(1000).map((_, i) => Math.sin(i));
    writeSafetensors(p, [{ name: 'W', shape: [10, 100], data }], { format: 'pt' });
    const f = readSafetensors(p);
    assert.deepEqual([...f.tensors[0]!.data], [...data]);
    assert.deepEqual(readdirSync(dir), ['model.safetensors']);
    assert.equal(readFileSync(p).length, 8 + Number(readFileSync(p).readBigUInt64LE(0)) + 4000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
