/**
 * Mapping a request path onto a file under a root folder without ever leaving it: the path is split into
 * segments, each percent-decoded once (so `%2e%2e` is `..` and is refused like `..`), and after resolving
 * symlinks (realpath) the file must still lie inside the root's real path. Node only.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

/** Why a path was refused: `forbidden` (it tries to leave the root, 403) or `missing` (404). */
export type Refusal = 'forbidden' | 'missing';

/** Percent-decodes one URL path segment; null for a malformed escape. */
function decodeSegment(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * The decoded segments of a raw URL path (query excluded); `forbidden` for `.`/`..`, empty names in
 * the middle, NUL, backslashes, or a decoded segment that holds a slash (an encoded `%2F` would
 * otherwise smuggle in a `..`).
 */
export function pathSegments(rawPath: string): string[] | 'forbidden' {
  const out: string[] = [];
  const parts = rawPath.split('/');
  for (let i = 0; i < parts.length; i++) {
    const raw = parts[i]!;
    if (raw === '' && (i === 0 || i === parts.length - 1)) continue;
    const s = decodeSegment(raw);
    if (s === null || s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\\') || s.includes('\0')) return 'forbidden';
    out.push(s);
  }
  return out;
}

/** Whether `child` (a real path) is `root` or inside it. */
export function isInside(root: string, child: string): boolean {
  const r = relative(root, child);
  return r === '' || (!r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r));
}

/**
 * The real path of root/segments..., or a refusal: `forbidden` when it resolves (through symlinks)
 * outside the root's real path, `missing` when it does not exist.
 */
export function resolveInside(realRoot: string, segments: readonly string[]): string | Refusal {
  for (const s of segments) if (s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\\') || s.includes('\0')) return 'forbidden';
  const p = join(realRoot, ...segments);
  if (!isInside(realRoot, p)) return 'forbidden';
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    return 'missing';
  }
  return isInside(realRoot, real) ? real : 'forbidden';
}

/** A run id (its path relative to the root, `/`-separated, `.` for the root itself) as segments, or forbidden. */
export function runIdSegments(id: string): string[] | 'forbidden' {
  if (id === '.') return [];
  const parts = id.split('/');
  for (const s of parts) if (s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0')) return 'forbidden';
  return parts;
}
