/**
 * Reads a run folder (docs/runs.md) into the plain RunData the figures take. Node only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { FILES, parseNumberCsv } from '../../runs/run-folder.js';
import { UsageError } from '../../util/errors.js';
import type { Row, RunData } from '../run-data.js';

function readCsv(path: string): Row[] {
  if (!existsSync(path)) return [];
  const rows = parseNumberCsv(readFileSync(path, 'utf8'));
  if (rows.length > 0 && !('epoch' in rows[0]!)) throw new UsageError(`${path}: no "epoch" column; expected a grokgroups metrics.csv or log.csv`);
  return rows.sort((a, b) => a.epoch! - b.epoch!);
}

function readList(path: string): string[] | undefined {
  if (!existsSync(path)) return undefined;
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** The run folder's data; a folder that is not a run (no metrics.csv and no log.csv) is a UsageError. */
export function readRun(dir: string): RunData {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory())
    throw new UsageError(`run folder "${dir}" does not exist: expected a folder written by grokgroups train`);
  const metrics = readCsv(join(abs, FILES.metrics));
  const log = readCsv(join(abs, FILES.log));
  if (metrics.length === 0 && log.length === 0)
    throw new UsageError(`run folder "${dir}" has no ${FILES.metrics} or ${FILES.log} rows: expected a folder written by grokgroups train`);
  return {
    name: basename(abs),
    metrics,
    log,
    keyReps: readList(join(abs, 'key_reps.txt')),
    keyRepsInOrder: readList(join(abs, 'key_reps_in_order.txt')),
  };
}
