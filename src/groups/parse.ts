/**
 * The group-name parser. Grammar (case-sensitive, surrounding whitespace ignored):
 *   name    := factor ("x" factor)* | "perm:" generators
 *   factor  := "C" n | "D" n | "S" n | "A" n | "Q8"
 *   generators := cycles (";" cycles)*,  cycles := ("(" point ("," point)* ")")+ | "()"
 * Limits: C<n> 1..5040, D<n> 3..2520, S<n> and A<n> 1..7, and every group at most MAX_ORDER elements
 * (a product's order is checked from its factors' orders before anything is built).
 */
import { UsageError } from '../util/errors.js';
import type { Group } from './group.js';
import { MAX_ORDER } from './permutation.js';
import {
  alternatingGroup,
  cyclicGroup,
  dihedralGroup,
  directProduct,
  familyRangeError,
  permGroup,
  quaternionGroup,
  symmetricGroup,
} from './families.js';

export const GROUP_NAMES_ACCEPTED = 'expected C<n>, D<n>, S<n>, A<n>, Q8, a product such as C2xS3, or perm:(1,2,3);(1,2)';

interface FactorSpec {
  /** Canonical name, e.g. "S5". */
  readonly name: string;
  readonly order: number;
  build(): Group;
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Reads one factor; returns an error message (without the "group ..." prefix) when it is not one. */
function parseFactor(token: string): FactorSpec | string {
  if (token === 'Q8') return { name: 'Q8', order: 8, build: quaternionGroup };
  const m = /^([CDSA])([0-9]+)$/.exec(token);
  if (!m) return `"${token}" is not C<n>, D<n>, S<n>, A<n> or Q8`;
  const letter = m[1] as 'C' | 'D' | 'S' | 'A';
  const n = Number(m[2]);
  const err = familyRangeError(letter, n);
  if (err) return err;
  const name = `${letter}${n}`;
  switch (letter) {
    case 'C':
      return { name, order: n, build: () => cyclicGroup(n) };
    case 'D':
      return { name, order: 2 * n, build: () => dihedralGroup(n) };
    case 'S':
      return { name, order: factorial(n), build: () => symmetricGroup(n) };
    case 'A':
      return { name, order: n < 2 ? 1 : factorial(n) / 2, build: () => alternatingGroup(n) };
  }
}

/** A few recently parsed groups by canonical name, so repeated lookups share one object (and its memos). */
const recent = new Map<string, Group>();
const RECENT_MAX = 8;

function remember(name: string, build: () => Group): Group {
  let G = recent.get(name);
  if (G) {
    recent.delete(name); // move to the back (most recent)
  } else {
    G = build();
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  }
  recent.set(name, G);
  return G;
}

/**
 * The group named by `name`: "C12", "D59", "S5", "A4", "Q8", "C2xC2xC2", "C3xS3", "perm:(1,2,3);(1,2)".
 * Throws a UsageError (one line, naming the input and what is accepted) for anything else.
 */
export function parseGroup(name: string): Group {
  const text = name.trim();
  if (text.startsWith('perm:')) return remember(text.replace(/\s+/g, ''), () => permGroup(text));
  if (text === '') throw new UsageError(`no group given: ${GROUP_NAMES_ACCEPTED}`);
  const tokens = text.split('x');
  if (tokens.length === 1) {
    const spec = parseFactor(text);
    if (typeof spec === 'string') {
      if (spec.includes('out of range')) throw new UsageError(`group ${spec}`);
      throw new UsageError(`unknown group "${name}": ${GROUP_NAMES_ACCEPTED}`);
    }
    return remember(spec.name, spec.build);
  }
  const empty = tokens.indexOf('');
  if (empty >= 0)
    throw new UsageError(
      `unknown group "${name}": factor ${empty + 1} of the product is empty; expected factors C<n>, D<n>, S<n>, A<n> or Q8 joined by "x", such as C2xS3`,
    );
  const specs: FactorSpec[] = [];
  tokens.forEach((tok) => {
    const spec = parseFactor(tok);
    if (typeof spec === 'string')
      throw new UsageError(
        `${spec.includes('out of range') ? 'group' : 'unknown group'} "${name}": factor ${spec}; expected factors C<n>, D<n>, S<n>, A<n> or Q8 joined by "x", such as C2xS3`,
      );
    specs.push(spec);
  });
  const order = specs.reduce((n, s) => n * s.order, 1);
  const canonical = specs.map((s) => s.name).join('x');
  if (order > MAX_ORDER)
    throw new UsageError(
      `group "${name}" has ${order} elements (${specs.map((s) => s.order).join(' x ')}): the largest order grokgroups handles is ${MAX_ORDER}`,
    );
  return remember(canonical, () => directProduct(specs.map((s) => remember(s.name, s.build))));
}
