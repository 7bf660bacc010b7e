/**
 * Our own encoder and decoder of the safetensors format (https://github.com/huggingface/safetensors):
 * an 8-byte little-endian unsigned header length n, then n bytes of JSON
 * `{"__metadata__"?: {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}}`
 * (offsets relative to the start of the data section), padded with spaces to a multiple of 8, then the
 * tensor data, little-endian, row-major. F32 and F64 tensors are supported.
 * Pure (no file system): the browser reads models with it too; src/runs/safetensors.ts adds the files.
 */

export type Dtype = 'F32' | 'F64';

export interface Tensor {
  name: string;
  shape: number[];
  data: Float32Array | Float64Array;
}

export interface SafetensorsFile {
  tensors: Tensor[];
  metadata: Record<string, string>;
}

const BYTES: Record<Dtype, number> = { F32: 4, F64: 8 };

function dtypeOf(t: Tensor): Dtype {
  if (t.data instanceof Float32Array) return 'F32';
  if (t.data instanceof Float64Array) return 'F64';
  throw new TypeError(`tensor ${t.name}: unsupported data type`);
}

function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Serialises tensors (in the given order) and string metadata to safetensors bytes. */
export function encodeSafetensors(tensors: Tensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === '__metadata__' || seen.has(t.name)) throw new Error(`safetensors: bad or duplicate tensor name "${t.name}"`);
    seen.add(t.name);
    if (numel(t.shape) !== t.data.length) throw new Error(`safetensors: tensor ${t.name} has ${t.data.length} values but shape [${t.shape}]`);
    const dtype = dtypeOf(t);
    const size = t.data.length * BYTES[dtype];
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  const text = new TextEncoder().encode(JSON.stringify(header));
  const n = text.length + ((8 - (text.length % 8)) % 8); // padded with spaces to a multiple of 8
  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(n), true);
  out.set(text, 8);
  out.fill(0x20, 8 + text.length, 8 + n);
  let p = 8 + n;
  for (const t of tensors) {
    const dtype = dtypeOf(t);
    for (let i = 0; i < t.data.length; i++, p += BYTES[dtype]) {
      if (dtype === 'F32') view.setFloat32(p, t.data[i]!, true);
      else view.setFloat64(p, t.data[i]!, true);
    }
  }
  return out;
}

/** Parses safetensors bytes; tensors come back in data-offset order (the order they were written). */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsFile {
  const fail = (why: string): never => {
    throw new Error(`${source}: not a valid safetensors file (${why})`);
  };
  if (bytes.length < 8) fail('shorter than 8 bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) fail(`header length ${n} exceeds file size ${bytes.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch {
    return fail('header is not JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('header is not an object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const tensors: (Tensor & { begin: number })[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`metadata value ${k} is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e.dtype !== 'F32' && e.dtype !== 'F64') fail(`tensor ${name} has unsupported dtype ${String(e.dtype)}`);
    const dtype = e.dtype as Dtype;
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor ${name} has a bad shape`);
    const shape = e.shape as number[];
    const off = e.data_offsets as unknown;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((x) => Number.isSafeInteger(x))) fail(`tensor ${name} has bad data_offsets`);
    const [begin, end] = off as [number, number];
    const count = numel(shape);
    if (end - begin !== count * BYTES[dtype] || begin < 0 || end > dataLen) fail(`tensor ${name} has data_offsets [${begin}, ${end}] inconsistent with its shape or the file size`);
    const data = dtype === 'F32' ? new Float32Array(count) : new Float64Array(count);
    let p = dataStart + begin;
    for (let i = 0; i < count; i++, p += BYTES[dtype]) data[i] = dtype === 'F32' ? view.getFloat32(p, true) : view.getFloat64(p, true);
    tensors.push({ name, shape: [...shape], data, begin });
  }
  tensors.sort((a, b) => a.begin - b.begin);
  return { tensors: tensors.map(({ name, shape, data }) => ({ name, shape, data })), metadata };
}
