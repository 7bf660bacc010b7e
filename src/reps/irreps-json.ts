/**
 * The JSON document of `grokgroups irreps G --json [--matrices]` (docs/irreps-json.md): the group
 * (elements, table, classes) and its real irreps, written as a sequence of text chunks (a large group's
 * table and matrices would not fit in one string). Pure: the CLI and the dashboard's server both use it.
 */
import { conjugacyClasses, elementOrders } from '../groups/classes.js';
import type { Group } from '../groups/group.js';
import type { Irrep } from './irrep.js';

/** A value within 1e-12 of an integer becomes that integer (and -0 becomes 0). */
export function cleanNumber(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) <= 1e-12 ? r + 0 : v;
}

const num = (v: number) => String(cleanNumber(v));

/**
 * The JSON document of docs/irreps-json.md, as a sequence of text chunks (a large group's table and
 * matrices would not fit in one string).
 */
export function* irrepsJsonChunks(G: Group, list: readonly Irrep[], withMatrices: boolean): Generator<string> {
  const N = G.order;
  const { classes } = conjugacyClasses(G);
  const orders = elementOrders(G);
  yield `{"group":${JSON.stringify(G.name)},"order":${N},"identity":${G.identity},"elements":[`;
  const perms = G.perms;
  for (let g = 0; g < N; g++) {
    const perm = perms ? `,"perm":[${Array.from(perms[g]!, (i) => i + 1).join(',')}]` : '';
    yield `${g ? ',' : ''}{"label":${JSON.stringify(G.labels[g])}${perm}}`;
  }
  yield '],"table":[';
  for (let a = 0; a < N; a++) yield `${a ? ',' : ''}[${G.table.subarray(a * N, (a + 1) * N).join(',')}]`;
  yield '],"classes":[';
  yield classes.map((c) => `{"size":${c.length},"order":${orders[c[0]!]},"elements":[${c.join(',')}]}`).join(',');
  yield '],"irreps":[';
  for (let k = 0; k < list.length; k++) {
    const rho = list[k]!;
    yield (
      `${k ? ',' : ''}{"name":${JSON.stringify(rho.name)},"dim":${rho.dim},"type":${JSON.stringify(rho.type)},` +
      `"indicator":${rho.indicator},"character":[${Array.from(rho.character, num).join(',')}]`
    );
    if (withMatrices) {
      const d = rho.dim;
      yield ',"matrices":[';
      for (let g = 0; g < N; g++) {
        const rowsText: string[] = [];
        for (let i = 0; i < d; i++) {
          const row = rho.matrices.subarray((g * d + i) * d, (g * d + i + 1) * d);
          rowsText.push(`[${Array.from(row, num).join(',')}]`);
        }
        yield `${g ? ',' : ''}[${rowsText.join(',')}]`;
      }
      yield ']';
    }
    yield '}';
  }
  yield ']}\n';
}
