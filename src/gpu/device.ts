/**
 * A WebGPU device: navigator.gpu in the browser, the npm package `webgpu` (Dawn) in Node. No adapter is a
 * UsageError naming the CPU backend to use instead; a lost device turns into DeviceLostError (src/util/errors.ts)
 * on the trainer's next call. The device asks for the adapter's largest buffer limits.
 */
import { DeviceLostError, UsageError } from '../util/errors.js';

/** Where to read about setting a GPU up (Vulkan driver, SwiftShader for CPU-only machines). */
export const GPU_DOCS = 'docs/gpu.md';

export interface GpuContext {
  device: GPUDevice;
  /** Set when the device is lost (reason and message); every later use throws DeviceLostError. */
  lost: { reason: string; message: string } | null;
  /** A one-line name of the adapter (vendor/architecture/description where the adapter tells). */
  adapterName: string;
}

/** Dawn's GPU object in Node: one per process, kept alive (collecting it while a device lives crashes Dawn). */
let dawnGpu: GPU | null = null;

async function nodeGpu(): Promise<GPU | null> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (typeof process === 'undefined' || !process.versions?.node) return null;
  if (dawnGpu) return dawnGpu;
  // a variable specifier keeps bundlers for the browser from pulling in the Node addon
  const spec = 'webgpu';
  const mod = (await import(spec)) as { create(o: string[]): GPU; globals: object };
  Object.assign(globalThis, mod.globals);
  dawnGpu = mod.create([]);
  return dawnGpu;
}

export async function openGpu(): Promise<GpuContext> {
  const gpu = await nodeGpu();
  const hint =
    typeof process !== 'undefined' && process.versions?.node && !process.env.VK_ICD_FILENAMES
      ? ` (on a machine without a GPU, Chromium's SwiftShader Vulkan driver works: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json; see ${GPU_DOCS})`
      : ` (see ${GPU_DOCS})`;
  if (!gpu) throw new UsageError(`backend "webgpu": this environment has no WebGPU: use --backend wasm${hint}`);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new UsageError(`backend "webgpu": no GPU adapter found: use --backend wasm${hint}`);
  const lim = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(lim.maxStorageBuffersPerShaderStage, 10),
    },
  });
  const info = adapter.info as GPUAdapterInfo | undefined;
  const adapterName = [info?.vendor, info?.architecture, info?.description].filter((x) => x).join(' ') || 'unknown adapter';
  const ctx: GpuContext = { device, lost: null, adapterName };
  void device.lost.then((l) => {
    ctx.lost = { reason: l.reason, message: l.message };
  });
  return ctx;
}

/** Throws DeviceLostError if the device has been lost. */
export function checkDevice(ctx: GpuContext): void {
  if (ctx.lost) throw new DeviceLostError(ctx.lost.reason, `the GPU device was lost (${ctx.lost.reason}): ${ctx.lost.message}`);
}

/** A buffer size check against the device's limits, as a UsageError naming what and how big. */
export function checkBufferSize(device: GPUDevice, what: string, bytes: number): void {
  const max = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (bytes > max)
    throw new UsageError(
      `backend "webgpu": ${what} needs a ${(bytes / 2 ** 20).toFixed(1)} MiB buffer, above this device's limit of ${(max / 2 ** 20).toFixed(1)} MiB: use fewer seeds per batch, a smaller model, or --backend wasm`,
    );
}
