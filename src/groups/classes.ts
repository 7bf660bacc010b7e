/**
 * Element orders and conjugacy classes of a group, memoised per group.
 */
import { memo, type Group } from './group.js';

/** [order] the order of each element. */
export function elementOrders(G: Group): Int32Array {
  return memo(G, 'elementOrders', () => {
    const N = G.order;
    const out = new Int32Array(N);
    for (let g = 0; g < N; g++) {
      let k = 1;
      for (let x = g; x !== G.identity; x = G.table[x * N + g]!) k++;
      out[g] = k;
    }
    return out;
  });
}

export interface ConjugacyClasses {
  /** classes[k] = the element indices of class k, ascending; class 0 holds the identity. */
  readonly classes: readonly Int32Array[];
  /** [order] classOf[g] = k. */
  readonly classOf: Int32Array;
}

/**
 * Conjugacy classes, ordered by their smallest element index (so the identity's class is first when
 * the identity is element 0; otherwise the identity's class is moved to the front).
 */
export function conjugacyClasses(G: Group): ConjugacyClasses {
  return memo(G, 'conjugacyClasses', () => {
    const N = G.order;
    const T = G.table;
    const classOf = new Int32Array(N).fill(-1);
    const classes: Int32Array[] = [];
    const order = [G.identity, ...Array.from({ length: N }, (_, i) => i).filter((i) => i !== G.identity)];
    for (const x of order) {
      if (classOf[x]! >= 0) continue;
      const k = classes.length;
      const members: number[] = [];
      for (let g = 0; g < N; g++) {
        const y = T[T[G.inverses[g]! * N + x]! * N + g]!; // g⁻¹ x g
        if (classOf[y]! < 0) {
          classOf[y] = k;
          members.push(y);
        }
      }
      members.sort((a, b) => a - b);
      classes.push(Int32Array.from(members));
    }
    return { classes, classOf };
  });
}
