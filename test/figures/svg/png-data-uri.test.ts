import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { base64, crc32, encodePng, pngDataUri } from '../../../src/figures/svg/png-data-uri.js';

test('crc32 of "123456789" is the standard check value 0xCBF43926', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('base64 matches Buffer for all padding lengths', () => {
  for (const len of [0, 1, 2, 3, 4, 5, 100]) {
    const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 11) & 255);
    assert.equal(base64(bytes), Buffer.from(bytes).toString('base64'));
  }
});

test('encodePng: signature, IHDR size, chunk CRCs, and pixel data that inflates back', () => {
  const w = 300;
  const h = 250; // raw data over 65535 bytes: several stored blocks
  const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7) & 255);
  const png = encodePng(w, h, rgb);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let p = 8;
  const chunks: { type: string; data: Uint8Array }[] = [];
  while (p < png.length) {
    const len = v.getUint32(p);
    const type = String.fromCharCode(...png.subarray(p + 4, p + 8));
    assert.equal(v.getUint32(p + 8 + len), crc32(png, p + 4, p + 8 + len), `CRC of ${type}`);
    chunks.push({ type, data: png.subarray(p + 8, p + 8 + len) });
    p += 12 + len;
  }
  assert.deepEqual(
    chunks.map((c) => c.type),
    ['IHDR', 'IDAT', 'IEND'],
  );
  const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
  assert.equal(ihdr.getUint32(0), w);
  assert.equal(ihdr.getUint32(4), h);
  const raw = inflateSync(chunks[1]!.data);
  assert.equal(raw.length, h * (1 + w * 3));
  for (let y = 0; y < h; y += 50) {
    assert.equal(raw[y * (1 + w * 3)], 0, 'filter type none');
    assert.deepEqual([...raw.subarray(y * (1 + w * 3) + 1, y * (1 + w * 3) + 7)], [...rgb.subarray(y * w * 3, y * w * 3 + 6)]);
  }
  assert.match(pngDataUri(1, 1, new Uint8Array([1, 2, 3])), /^data:image\/png;base64,iVBORw0KGgo/);
});
