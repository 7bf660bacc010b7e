import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { runFigures } from '../../../src/figures/figure-set.js';
import { readRun } from '../../../src/figures/node/read-run.js';
import { renderFigure, svgToPdf, svgToPng } from '../../../src/figures/node/render.js';
import { heatmap } from '../../../src/figures/svg/heatmap.js';
import { svgDocument } from '../../../src/figures/svg/panel.js';
import { fixtures } from '../snapshot.js';

const svg = svgDocument(runFigures(readRun(join(fixtures, 'S4_MLP_seed1'))).figures[0]!.panel);
const [w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!.slice(1).map(Number) as [number, number];

/** Pages in a PDF: its /Type /Page objects (not /Pages). */
function pageCount(pdf: Buffer): number {
  return [...pdf.toString('latin1').matchAll(/\/Type\s*\/Page(?![s\w])/g)].length;
}

test('svgToPng: a PNG at twice the SVG size, with drawn (non-white) pixels', () => {
  const png = Buffer.from(svgToPng(svg));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  assert.equal(png.readUInt32BE(16), 2 * w);
  assert.equal(png.readUInt32BE(20), 2 * h);
  // concatenate the IDAT chunks, inflate, and look for pixels that are not white
  const idat: Buffer[] = [];
  for (let p = 8; p < png.length;) {
    const len = png.readUInt32BE(p);
    if (png.toString('latin1', p + 4, p + 8) === 'IDAT') idat.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  let dark = 0;
  for (let i = 0; i < raw.length; i++) if (raw[i]! < 128) dark++;
  assert.ok(dark > 1000, `${dark} dark bytes`);
});

test('svgToPdf: one page of the SVG size, deterministic bytes', async () => {
  const pdf = Buffer.from(await svgToPdf(svg));
  assert.equal(pdf.toString('latin1', 0, 5), '%PDF-');
  assert.match(pdf.toString('latin1', pdf.length - 8), /%%EOF\s*$/);
  assert.equal(pageCount(pdf), 1);
  const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'))!;
  assert.deepEqual([Number(box[1]), Number(box[2])], [w, h]);
  assert.deepEqual(Buffer.from(await svgToPdf(svg)), pdf);
});

test("svgToPdf keeps a heatmap's embedded image", async () => {
  const hm = svgDocument(heatmap({ facets: [{ rows: 3, cols: 3, values: [1, 0, -1, 0, 1, 0, -1, 0, 1] }] }));
  const pdf = Buffer.from(await svgToPdf(hm));
  assert.equal(pageCount(pdf), 1);
  assert.match(pdf.toString('latin1'), /\/Subtype \/Image/);
});

test('renderFigure returns the SVG itself for svg', async () => {
  assert.equal(await renderFigure(svg, 'svg'), svg);
});
