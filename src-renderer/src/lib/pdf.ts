/**
 * PDF export of a figure: its SVG (svg.ts, or the boundary's and stability map's own) drawn on one
 * page by svg2pdf.js with jsPDF, so the PDF is vector — paths and real, selectable text, not a
 * picture — and carries the provenance the PNG's text chunks and the SVG's <metadata> carry, in
 * the PDF's XMP metadata (nnlab:provenance, the same JSON) with Creator "nnlab <version>". Runs in
 * the page (browser mode and the desktop app alike); both libraries are loaded on the first PDF.
 *
 * The page is the figure's size at 96 px to the inch (1 px = 0.75 pt). Text is set in Helvetica
 * (one of PDF's standard fonts, nothing embedded), which has the WinAnsi characters only: the few
 * others the lab writes (− ≤ ≥ …) are written as their nearest ASCII (pdfText).
 */
import { escapeXml } from './svg';

/** PDF points per CSS pixel (72 pt and 96 px to the inch). */
export const PT_PER_PX = 0.75;

/** XMP namespace of nnlab's provenance (the test reader, tests/helpers/read_pdf.py, looks for it). */
export const XMP_NAMESPACE = 'urn:nnlab:xmp:1.0/';

/** Characters beyond WinAnsi that the lab's charts use, and what the PDF writes for them. */
const ASCII_FOR: Record<string, string> = { '−': '-', '≤': '<=', '≥': '>=', '≈': '~', '→': '->', '←': '<-', '✓': 'v', '✕': 'x', '☆': '*', '★': '*', ε: 'eps', Δ: 'delta', σ: 'sd' };
/** WinAnsi's characters above Latin-1's range (the rest of WinAnsi is Latin-1 itself). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text as Helvetica can set it: WinAnsi characters kept, the others by ASCII_FOR, else '?'. */
export function pdfText(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(c)) out += c;
    else out += ASCII_FOR[c] ?? '?';
  }
  return out;
}

/** The XMP packet: title, creator tool and nnlab's provenance JSON. */
export function xmpPacket(title: string, appVersion: string, provenance: unknown): string {
  return (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:nnlab="${XMP_NAMESPACE}">` +
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(title)}</rdf:li></rdf:Alt></dc:title>` +
    `<xmp:CreatorTool>nnlab ${escapeXml(appVersion)}</xmp:CreatorTool>` +
    `<nnlab:provenance>${escapeXml(JSON.stringify(provenance))}</nnlab:provenance>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta>'
  );
}

/** A one-page vector PDF of an SVG document `width` × `height` px, with its title and provenance. */
export async function svgToPdf(svg: string, width: number, height: number, meta: { title: string; appVersion: string; provenance: unknown }): Promise<Blob> {
  const [{ jsPDF }, { svg2pdf }] = await Promise.all([import('jspdf'), import('svg2pdf.js')]);
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.nodeName !== 'svg' || doc.querySelector('parsererror')) throw new Error('the chart’s SVG could not be read for the PDF');
  root.setAttribute('font-family', 'Helvetica, sans-serif');
  for (const t of root.querySelectorAll('text, tspan, title')) if (t.childElementCount === 0 && t.textContent) t.textContent = pdfText(t.textContent);
  const w = width * PT_PER_PX;
  const h = height * PT_PER_PX;
  const pdf = new jsPDF({ unit: 'pt', format: [w, h], orientation: w >= h ? 'landscape' : 'portrait', compress: true });
  pdf.setDocumentProperties({ title: pdfText(meta.title), creator: `nnlab ${meta.appVersion}`, subject: 'nnlab chart (provenance: the XMP metadata, nnlab:provenance)' });
  pdf.addMetadata(xmpPacket(meta.title, meta.appVersion, meta.provenance), true);
  await svg2pdf(root, pdf, { x: 0, y: 0, width: w, height: h });
  return pdf.output('blob');
}
