/**
 * Number and text formatting for SVG output. Every coordinate goes through `n()` so the same input always
 * gives the same bytes (fixed precision, no "-0", no exponent notation).
 */

/** A coordinate or size with at most 2 decimals, trailing zeros dropped: 12.5, 3, -0.25. */
export function n(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`svg: non-finite coordinate ${v}`);
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

/** Escapes text for an XML text node or attribute value. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Attributes from an object, in key order; undefined values are left out. */
export function attrs(a: Record<string, string | number | undefined>): string {
  let s = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    s += ` ${k}="${typeof v === 'number' ? n(v) : esc(v)}"`;
  }
  return s;
}

/** An element: `el('rect', {x: 1})` → `<rect x="1"/>`; with children, `<g ...>children</g>`. */
export function el(name: string, a: Record<string, string | number | undefined>, children?: string): string {
  return children === undefined ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${children}</${name}>`;
}

/**
 * A tick label: up to `digits` significant digits, plain notation where short, else mantissa·10^k
 * ("2.5e-7" is written as 2.5×10⁻⁷ by `tickLabelSvg`). Returns the parts.
 */
export function formatTick(v: number, digits = 3): { mantissa: string; exponent?: number } {
  if (v === 0) return { mantissa: '0' };
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) {
    const s = Number(v.toPrecision(digits));
    return { mantissa: String(s === 0 ? 0 : s) };
  }
  const e = Math.floor(Math.log10(a) + 1e-9);
  const m = Number((v / 10 ** e).toPrecision(digits));
  return { mantissa: String(m), exponent: e };
}

/** Large round numbers with a thousands suffix: 120000 → "120k", 1500000 → "1.5M"; others as formatTick. */
export function formatCount(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6 && a < 1e9) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4 && a < 1e6) return `${Number((v / 1e3).toPrecision(3))}k`;
  const t = formatTick(v);
  return t.exponent === undefined ? t.mantissa : `${t.mantissa}e${t.exponent}`;
}
