/**
 * Where a sweep's run stands, from its folder alone (so any machine that sees the shared folder agrees):
 * - done: `done.json` exists, written atomically by the sweep's run process after `grokgroups train`
 *   returned 0, i.e. after every file of the run (summary_metrics.json last of training's, and with
 *   `--measures full` the closing measuring pass and the key-irrep files) is in place;
 * - started: the folder has a cfg.json but no done.json (interrupted or running: `--resume` continues it);
 * - new: nothing there yet.
 * A folder whose cfg.json differs from the run's configuration is a conflict: it is never overwritten.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../runs/atomic-write.js';
import { toCfgJson, type RunConfig } from '../runs/config.js';
import { FILES } from '../runs/run-folder.js';

export const DONE_FILE = 'done.json';

export type RunState = 'done' | 'started' | 'new';

export interface DoneMarker {
  name: string;
  finished: string;
  host: string;
  pid: number;
  wall_s: number;
}

export function runState(dir: string): RunState {
  if (existsSync(join(dir, DONE_FILE))) return 'done';
  if (existsSync(join(dir, FILES.cfg))) return 'started';
  return 'new';
}

function withoutVersion(o: Record<string, unknown>): string {
  const { version: _version, ...rest } = o;
  return JSON.stringify(rest);
}

/**
 * Null when the folder holds no cfg.json or the same configuration as `cfg` (the version that wrote it aside);
 * otherwise a message naming the first differing key.
 */
export function cfgConflict(dir: string, cfg: RunConfig): string | null {
  const path = join(dir, FILES.cfg);
  if (!existsSync(path)) return null;
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    return `${path} is not valid JSON (${(e as Error).message.split('\n')[0]})`;
  }
  const want = toCfgJson(cfg, '');
  if (withoutVersion(stored) === withoutVersion(want)) return null;
  for (const k of new Set([...Object.keys(want), ...Object.keys(stored)])) {
    if (k === 'version') continue;
    if (JSON.stringify(stored[k]) !== JSON.stringify(want[k]))
      return `${path} has ${k} ${JSON.stringify(stored[k])} but the sweep asks for ${JSON.stringify(want[k])}; move the folder away or change the spec`;
  }
  return `${path} differs from the sweep's configuration (key order)`;
}

export function writeDoneMarker(dir: string, name: string, wallSeconds: number): void {
  const marker: DoneMarker = {
    name,
    finished: new Date().toISOString(),
    host: hostname(),
    pid: process.pid,
    wall_s: Math.round(wallSeconds * 10) / 10,
  };
  writeFileAtomic(join(dir, DONE_FILE), JSON.stringify(marker, null, 2) + '\n');
}
