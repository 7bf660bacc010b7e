/**
 * The one look of every figure: sizes, fonts, colours. Publication style: white background, thin dark
 * axes, light grid, a colour-blind-safe categorical palette (Tableau 10) in a fixed order.
 */

export interface Theme {
  width: number;
  height: number;
  fontFamily: string;
  fontSize: number;
  tickFontSize: number;
  titleFontSize: number;
  text: string;
  axis: string;
  grid: string;
  background: string;
  lineWidth: number;
  /** Opacity of the faded individual runs behind a median. */
  fadedOpacity: number;
  palette: readonly string[];
  /** Colour of the "other irreps" lines when only the key irreps get their own colours. */
  muted: string;
  /** Phase lines (--phase-lines). */
  phaseLine: string;
}

export const theme: Theme = {
  width: 640,
  height: 400,
  // Helvetica for the PDF's standard font, then fonts resvg finds on the system
  fontFamily: 'Helvetica, Arial, DejaVu Sans, Liberation Sans, sans-serif',
  fontSize: 14,
  tickFontSize: 12,
  titleFontSize: 16,
  text: '#222222',
  axis: '#444444',
  grid: '#e6e6e6',
  background: '#ffffff',
  lineWidth: 1.75,
  fadedOpacity: 0.2,
  palette: ['#4e79a7', '#e15759', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#bab0ac'],
  muted: '#b8b8b8',
  phaseLine: '#777777',
};

/** The k-th palette colour (cycling). */
export function color(k: number): string {
  const p = theme.palette;
  return p[((k % p.length) + p.length) % p.length]!;
}

/** Approximate width of a text in the theme font (for layout only: legends, margins). */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += /[il.,:;'|!]/.test(ch) ? 0.28 : /[mwMW]/.test(ch) ? 0.85 : /[A-Z]/.test(ch) ? 0.67 : 0.56;
  return w * size;
}
