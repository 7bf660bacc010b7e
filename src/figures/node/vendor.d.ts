// The little of pdfkit and svg-to-pdfkit that src/figures/node/render.ts uses (neither ships types).
declare module 'pdfkit' {
  interface PDFDocumentOptions {
    size?: [number, number];
    margin?: number;
    compress?: boolean;
    autoFirstPage?: boolean;
    info?: Record<string, string | Date>;
  }
  class PDFDocument {
    constructor(options?: PDFDocumentOptions);
    on(event: 'data', listener: (chunk: Uint8Array) => void): this;
    on(event: 'end', listener: () => void): this;
    on(event: 'error', listener: (e: Error) => void): this;
    registerFont(name: string, src: string): this;
    end(): void;
  }
  export default PDFDocument;
}
declare module 'svg-to-pdfkit' {
  interface SVGtoPDFOptions {
    width?: number;
    height?: number;
    assumePt?: boolean;
    fontCallback?: (family: string, bold: boolean, italic: boolean) => string;
    warningCallback?: (message: string) => void;
  }
  export default function SVGtoPDF(doc: unknown, svg: string, x: number, y: number, options?: SVGtoPDFOptions): void;
}
