/**
 * WebGPU plumbing for the trainer: storage/uniform buffers, cached compute pipelines, and a "pass"
 * (pipeline + bind group + grid) that can be recorded into a compute pass any number of times.
 */
import { checkBufferSize } from './device.js';
import { MATMUL_WGSL } from './wgsl.js';

/** Steps recorded into one command buffer (each has its own step uniform). */
export const STEP_SLOTS = 32;

/** CSR of rows grouped by element: off [S, N+1], idx [S, R] (row positions within the member). */
export function groupRows(elems: Uint32Array, S: number, R: number, N: number): { off: Uint32Array; idx: Uint32Array } {
  const off = new Uint32Array(S * (N + 1));
  const idx = new Uint32Array(S * R);
  for (let s = 0; s < S; s++) {
    const o = s * (N + 1);
    for (let i = 0; i < R; i++) off[o + elems[s * R + i]! + 1]!++;
    for (let g = 0; g < N; g++) off[o + g + 1]! += off[o + g]!;
    const fill = off.slice(o, o + N);
    for (let i = 0; i < R; i++) idx[s * R + fill[elems[s * R + i]!]!++] = i;
  }
  return { off, idx };
}

/** One dispatch, ready to record. */
export interface Pass {
  pipeline: GPUComputePipeline;
  bind: GPUBindGroup;
  grid: [number, number, number];
}

/** A 2-D grid of 256-thread workgroups covering n threads (65535 workgroups per dimension at most). */
export function linearGrid(n: number): [number, number, number] {
  const wgs = Math.max(1, Math.ceil(n / 256));
  const x = Math.min(wgs, 65535);
  return [x, Math.ceil(wgs / x), 1];
}

/** Compute pipelines per device, for the kits made by GpuKit.sharing (compiling them is most of a first call). */
const sharedPipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

export class GpuKit {
  private readonly owned: GPUBuffer[] = [];

  /** `pipelines`: the kit's pipeline cache (by default its own). */
  constructor(
    readonly device: GPUDevice,
    private readonly pipelines = new Map<string, GPUComputePipeline>(),
  ) {}

  /** A kit (own buffers) whose pipelines are compiled once per device and shared by every kit made so. */
  static sharing(device: GPUDevice): GpuKit {
    let cache = sharedPipelines.get(device);
    if (!cache) sharedPipelines.set(device, (cache = new Map()));
    return new GpuKit(device, cache);
  }

  /** A storage buffer of `floats` 4-byte words (zeroed), or holding `data`. */
  storage(what: string, init: number | Float32Array | Uint32Array): GPUBuffer {
    const words = typeof init === 'number' ? init : init.length;
    const size = Math.max(16, Math.ceil((words * 4) / 16) * 16);
    checkBufferSize(this.device, what, size);
    const buf = this.device.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      label: what,
    });
    if (typeof init !== 'number') this.device.queue.writeBuffer(buf, 0, init.buffer, init.byteOffset, init.byteLength);
    this.owned.push(buf);
    return buf;
  }

  /** A uniform buffer holding `words` (u32 or f32 words; the size padded to 16 bytes). */
  uniform(words: Uint32Array | ArrayBuffer): GPUBuffer {
    const bytes = words instanceof ArrayBuffer ? words : words.buffer.slice(words.byteOffset, words.byteOffset + words.byteLength);
    const size = Math.max(16, Math.ceil(bytes.byteLength / 16) * 16);
    const buf = this.device.createBuffer({ size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(buf, 0, bytes);
    this.owned.push(buf);
    return buf;
  }

  pipeline(code: string): GPUComputePipeline {
    let p = this.pipelines.get(code);
    if (!p) {
      const module = this.device.createShaderModule({ code });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(code, p);
    }
    return p;
  }

  /** A pass of `code` with `buffers` bound at bindings 0, 1, ... of group 0. */
  pass(code: string, buffers: readonly GPUBuffer[], grid: [number, number, number]): Pass {
    const pipeline = this.pipeline(code);
    const bind = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    return { pipeline, bind, grid };
  }

  /** Copies `words` 4-byte words of `src` (from word `offset`) back to the host. */
  async read(src: GPUBuffer, words: number, offset = 0): Promise<Float32Array> {
    return (await this.readAll([[src, words, offset]]))[0]!;
  }

  /** Copies each (buffer, words, from word offset: default 0) into one staging buffer, maps it once, and returns the parts. */
  async readAll(parts: readonly (readonly [GPUBuffer, number, number?])[]): Promise<Float32Array[]> {
    const padded = (words: number) => Math.ceil((words * 4) / 16) * 16;
    const offs: number[] = [];
    let total = 0;
    for (const [, w] of parts) {
      offs.push(total);
      total += padded(w);
    }
    const staging = this.device.createBuffer({ size: Math.max(16, total), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      const enc = this.device.createCommandEncoder();
      parts.forEach(([b, w, o = 0], i) => enc.copyBufferToBuffer(b, o * 4, staging, offs[i]!, Math.min(padded(w), b.size - o * 4)));
      this.device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const all = staging.getMappedRange();
      const out = parts.map(([, w], i) => new Float32Array(all.slice(offs[i]!, offs[i]! + w * 4)));
      staging.unmap();
      return out;
    } finally {
      staging.destroy();
    }
  }

  /** Records `passes` in order into one compute pass of `enc`. */
  static record(enc: GPUCommandEncoder, passes: readonly Pass[]): void {
    const cp = enc.beginComputePass();
    for (const p of passes) {
      cp.setPipeline(p.pipeline);
      cp.setBindGroup(0, p.bind);
      cp.dispatchWorkgroups(...p.grid);
    }
    cp.end();
  }

  destroy(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}

/**
 * A matmul C[s] (M×Nc) = op(A[s]) op(B[s]) for members s < S (offsets, leading dims and strides in floats):
 * MATMUL_WGSL, or another kernel with its uniform and output tiles `tile`×`tile` (MATMUL64_WGSL: 64).
 */
export interface MatmulArgs {
  M: number;
  Nc: number;
  K: number;
  A: GPUBuffer;
  aOff?: number;
  lda: number;
  aStride: number;
  transA?: boolean;
  B: GPUBuffer;
  bOff?: number;
  ldb: number;
  bStride: number;
  transB?: boolean;
  C: GPUBuffer;
  cOff?: number;
  ldc: number;
  cStride: number;
}

export function matmulPass(kit: GpuKit, S: number, x: MatmulArgs, code = MATMUL_WGSL, tile = 16): Pass {
  return kit.pass(
    code,
    [
      kit.uniform(
        new Uint32Array([
          x.M,
          x.Nc,
          x.K,
          x.transA ? 1 : 0,
          x.transB ? 1 : 0,
          x.lda,
          x.ldb,
          x.ldc,
          x.aOff ?? 0,
          x.bOff ?? 0,
          x.cOff ?? 0,
          x.aStride,
          x.bStride,
          x.cStride,
          0,
          0,
        ]),
      ),
      x.A,
      x.B,
      x.C,
    ],
    [Math.ceil(x.Nc / tile), Math.ceil(x.M / tile), S],
  );
}
