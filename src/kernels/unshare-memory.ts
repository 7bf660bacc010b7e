/**
 * The kernels are compiled to import a shared memory (--sharedMemory, for the kernel threads). A host that
 * cannot make one (a browser page that is not cross-origin isolated, where the browser refuses shared
 * memory) can still run them on one thread: this rewrites the memory import's limits from "shared, with
 * maximum" (flag 0x03) to "with maximum" (0x01), in a copy of the module bytes. Nothing else changes: the
 * atomic read-modify-write instructions the kernels use are valid on unshared memory (only wait/notify are
 * not, and the kernels leave those to JS, which uses none with one thread).
 */

/** Reads an unsigned LEB128 at `pos`; returns [value, next position]. */
function leb(b: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const byte = b[pos++]!;
    v += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [v, pos];
    shift += 7;
    if (shift > 35) throw new Error('unshareMemoryImport: bad LEB128');
  }
}

/** Skips a name (length-prefixed bytes). */
function skipName(b: Uint8Array, pos: number): number {
  const [n, p] = leb(b, pos);
  return p + n;
}

/** Skips table/memory limits. */
function skipLimits(b: Uint8Array, pos: number): number {
  const flag = b[pos++]!;
  let p = leb(b, pos)[1];
  if (flag & 1) p = leb(b, p)[1];
  return p;
}

/**
 * A copy of the module `bytes` whose imported memory is unshared; the bytes as they are when the module
 * imports no shared memory. Throws on bytes that are not a WebAssembly module.
 */
export function unshareMemoryImport(bytes: Uint8Array): Uint8Array {
  const b = new Uint8Array(bytes);
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) throw new Error('unshareMemoryImport: not a WebAssembly module');
  let pos = 8;
  while (pos < b.length) {
    const id = b[pos++]!;
    const [size, start] = leb(b, pos);
    const end = start + size;
    if (id === 2) {
      let [count, p] = leb(b, start);
      for (; count > 0; count--) {
        p = skipName(b, skipName(b, p));
        const kind = b[p++]!;
        if (kind === 0)
          p = leb(b, p)[1]; // function: type index
        else if (kind === 1)
          p = skipLimits(b, p + 1); // table: reftype, limits
        else if (kind === 2) {
          if (b[p] === 0x03)
            b[p] = 0x01; // shared with maximum -> with maximum
          else if (b[p] === 0x02) b[p] = 0x00; // shared without maximum (invalid, but keep it total)
          p = skipLimits(b, p);
        } else if (kind === 3)
          p += 2; // global: valtype, mutability
        else if (kind === 4)
          p = leb(b, p + 1)[1]; // tag: attribute, type index
        else throw new Error(`unshareMemoryImport: unknown import kind ${kind}`);
      }
      return b;
    }
    pos = end;
  }
  return b;
}
