/** Test helper: the RGB pixels of the PNG images embedded in an SVG fragment (as written by svg/png-data-uri.ts). */
import { inflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  /** [height, width, 3] */
  rgb: Uint8Array;
}

export function embeddedImages(svg: string): Image[] {
  return [...svg.matchAll(/href="data:image\/png;base64,([^"]+)"/g)].map((m) => {
    const png = Buffer.from(m[1]!, 'base64');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const idat: Buffer[] = [];
    for (let p = 8; p < png.length;) {
      const len = png.readUInt32BE(p);
      if (png.toString('latin1', p + 4, p + 8) === 'IDAT') idat.push(png.subarray(p + 8, p + 8 + len));
      p += 12 + len;
    }
    const raw = inflateSync(Buffer.concat(idat));
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) rgb.set(raw.subarray(y * (1 + width * 3) + 1, (y + 1) * (1 + width * 3)), y * width * 3);
    return { width, height, rgb };
  });
}

/** The RGB triple of pixel (x, y). */
export function pixel(img: Image, x: number, y: number): number[] {
  const o = (y * img.width + x) * 3;
  return [img.rgb[o]!, img.rgb[o + 1]!, img.rgb[o + 2]!];
}
