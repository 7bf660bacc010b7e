/**
 * safetensors files: the codec of src/runs/safetensors-codec.ts, plus reading and writing them (atomically).
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsFile, type Tensor } from './safetensors-codec.js';

export * from './safetensors-codec.js';

/** Writes a safetensors file atomically (temporary file in the same folder, then rename). */
export function writeSafetensors(path: string, tensors: Tensor[], metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

export function readSafetensors(path: string): SafetensorsFile {
  return decodeSafetensors(readFileSync(path), path);
}
