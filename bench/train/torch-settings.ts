/**
 * Running a PyTorch reference script (bench/train/torch_*.py) in the thread settings the step benchmarks compare
 * against. Debian's torch does its matrix products in OpenBLAS, whose threads torch.set_num_threads does not set,
 * so each setting names both: [torch threads, OpenBLAS threads]. The scripts take them as their last two arguments.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
export const TORCH_MISSING = `${PYTHON} with torch is missing: apt-get install -y python3-torch libopenblas0-pthread`;

/** Both on 1 thread; torch on 1 with OpenBLAS on n; both on n (the first only, when n is 1). */
export function torchSettings(n: number): [number, number][] {
  return n === 1
    ? [[1, 1]]
    : [
        [1, 1],
        [1, n],
        [n, n],
      ];
}

export function settingName([t, b]: [number, number]): string {
  return `torch ${t} thread${t > 1 ? 's' : ''}, OpenBLAS ${b}`;
}

/** Runs bench/train/<script> with `args` and then the setting's thread counts: stdout, or null and why not. */
export function runTorch(script: string, args: string[], [t, b]: [number, number]): { stdout: string | null; why: string } {
  if (!existsSync(PYTHON)) return { stdout: null, why: TORCH_MISSING };
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'train', script);
  const r = spawnSync(PYTHON, [path, ...args, String(t), String(b)], { encoding: 'utf8' });
  if (r.status === 0) return { stdout: r.stdout, why: '' };
  return { stdout: null, why: `${TORCH_MISSING}\n${(r.stderr ?? '').trim().split('\n').slice(-2).join('\n')}` };
}
