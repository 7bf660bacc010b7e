/**
 * PNG and PDF from a figure's SVG, without a browser: PNG by resvg (@resvg/resvg-js, a prebuilt native
 * renderer), PDF by pdfkit + svg-to-pdfkit (vector: lines and text stay vectors; heatmap cells are the
 * embedded image). Fonts: DejaVu Sans from the system when present, else the PDF standard Helvetica.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';

export type FigureFormat = 'svg' | 'png' | 'pdf';
export const FORMATS: readonly FigureFormat[] = ['svg', 'png', 'pdf'];

const DEJAVU = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf'];

/** PNG bytes at `scale` × the SVG's size (2: sharp in print at the figure's size). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return r.render().asPng();
}

function svgSize(svg: string): [number, number] {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!m) throw new Error('svgToPdf: the SVG has no width and height');
  return [Number(m[1]), Number(m[2])];
}

/** A one-page PDF of the SVG, page size = the SVG's size in points; deterministic (fixed dates). */
export function svgToPdf(svg: string): Promise<Uint8Array> {
  const [w, h] = svgSize(svg);
  const fixed = new Date(Date.UTC(2000, 0, 1));
  const doc = new PDFDocument({
    size: [w, h],
    margin: 0,
    compress: true,
    info: { Producer: 'grokgroups', Creator: 'grokgroups', CreationDate: fixed, ModDate: fixed },
  });
  const font = DEJAVU.find((p) => existsSync(p));
  if (font) doc.registerFont('DejaVu Sans', font);
  const chunks: Uint8Array[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (c) => chunks.push(c));
    doc.on('error', reject);
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    SVGtoPDF(doc, svg, 0, 0, {
      width: w,
      height: h,
      assumePt: true,
      fontCallback: () => (font ? 'DejaVu Sans' : 'Helvetica'),
      warningCallback: () => {},
    });
    doc.end();
  });
}

/** The file content of a figure in a format. */
export async function renderFigure(svg: string, format: FigureFormat): Promise<string | Uint8Array> {
  if (format === 'svg') return svg;
  if (format === 'png') return svgToPng(svg);
  return svgToPdf(svg);
}
