/**
 * Builders of the WGSL sources (src/gpu/wgsl.ts, transformer-wgsl.ts, measure-wgsl.ts): the numbered binding
 * declarations, the prologue of an elementwise kernel over a 2-D grid of 256-thread workgroups, a thread
 * index's mixed-radix split, and the declarations several files share. They only assemble text: each
 * kernel's maths stays written out where the kernel is.
 */

/** The thread index over the 2-D grid of 256-thread workgroups (src/gpu/kernels.ts linearGrid). */
export const LINEAR = /* wgsl */ `fn linear(wg: vec3u, nwg: vec3u, l: vec3u) -> u32 { return (wg.y * nwg.x + wg.x) * 256u + l.x; }`;

/** The matmul uniform and buffers: p (MM), A, B read, C written (MATMUL_WGSL, MATMUL64_WGSL). */
export const MATMUL_DECLS = /* wgsl */ `
struct MM { M: u32, Nc: u32, K: u32, transA: u32, transB: u32, lda: u32, ldb: u32, ldc: u32,
            aOff: u32, bOff: u32, cOff: u32, aStride: u32, bStride: u32, cStride: u32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<uniform> p: MM;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;`;

/**
 * The matmuls' entry on 16×16 threads, up to their A and B bases: member s = wg.z, the thread's first output
 * row and column (`row`, `col`) in a `tile`×`tile` output tile.
 */
export function matmulMain(tile: number, row: string, col: string): string {
  return /* wgsl */ `@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let s = wg.z;
  let ${row} = wg.y * ${tile}u + l.y;
  let ${col} = wg.x * ${tile}u + l.x;
  let aBase = s * p.aStride + p.aOff;
  let bBase = s * p.bStride + p.bOff;`;
}

/**
 * Bindings as WGSL says them, less the boilerplate: `uniform u: RowsU` (var<uniform> u: RowsU) or
 * `read rowA, rowB: u32` (storage arrays: var<storage, read> rowA: array<u32>, then rowB), access `read` or
 * `read_write`, with an optional `// comment` after the last one's declaration.
 */
export type Bindings = `${'uniform' | 'read' | 'read_write'} ${string}: ${string}`;

/** `@group(0) @binding(first + i) var<…> name: …;` for each binding in order (the order the passes bind them). */
export function bindings(list: readonly Bindings[], first = 0): string {
  const lines: string[] = [];
  for (const spec of list) {
    const m = /^(uniform|read|read_write) ([\w, ]+): (\w+)(?: +\/\/ (.*))?$/.exec(spec);
    if (!m) throw new Error(`bindings: cannot read '${spec}'`);
    const [, access, names, type, comment] = m as unknown as [string, string, string, string, string | undefined];
    for (const name of names.split(',').map((n) => n.trim())) {
      const decl = access === 'uniform' ? `var<uniform> ${name}: ${type};` : `var<storage, ${access}> ${name}: array<${type}>;`;
      lines.push(`@group(0) @binding(${first + lines.length}) ${decl}`);
    }
    if (comment) lines[lines.length - 1] += `   // ${comment}`;
  }
  return lines.join('\n');
}

/**
 * One step of split, `digit, rest: radix`: `let digit = cur % radix;` (none where digit is `_`) and
 * `let rest = cur / radix;`.
 */
export type Digit = `${string}, ${string}: ${string}`;

/** The `let` lines that split `index` by mixed radices, least significant first; each rest is the next cur. */
export function split(index: string, steps: readonly Digit[]): string {
  let cur = index;
  const lines: string[] = [];
  for (const step of steps) {
    const m = /^(\w+), (\w+): (.+)$/.exec(step);
    if (!m) throw new Error(`split: cannot read '${step}'`);
    const [, digit, rest, radix] = m as unknown as [string, string, string, string];
    if (digit !== '_') lines.push(`let ${digit} = ${cur} % ${radix};`);
    lines.push(`let ${rest} = ${cur} / ${radix};`);
    cur = rest;
  }
  return lines.map((l) => `  ${l}\n`).join('');
}

/** An elementwise kernel: one thread per index below count on the 2-D grid. */
export interface ElementwiseKernel {
  /** Module-scope declarations before the bindings (uniform structs, helpers); they must declare LINEAR's `linear`. */
  header: string;
  bindings: readonly Bindings[];
  /** The first binding's number (default 0: where the header declares none). */
  first?: number;
  /** The thread index's name (default idx). */
  index?: string;
  /** A statement before the index. */
  before?: string;
  /** A statement between the index and the bounds test. */
  setup?: string;
  /** The thread count: threads with index >= count return at once. */
  count: string;
  /** The index's split after the bounds test (see split). */
  split?: readonly Digit[];
  /** main's remaining statements, indented, one a line (a leading newline is dropped). */
  body: string;
}

/** The WGSL module of an elementwise kernel: header, bindings, then main's prologue and body. */
export function elementwiseKernel(k: ElementwiseKernel): string {
  const index = k.index ?? 'idx';
  const statement = (s: string | undefined) => (s ? `  ${s}\n` : '');
  return `${k.header}
${bindings(k.bindings, k.first)}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) l: vec3u) {
${statement(k.before)}  let ${index} = linear(wg, nwg, l);
${statement(k.setup)}  if (${index} >= ${k.count}) { return; }
${split(index, k.split ?? [])}${k.body.replace(/^\n/, '')}}
`;
}
