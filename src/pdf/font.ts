import { existsSync } from 'node:fs';
import { ServiceUnavailableError } from '../errors/index.js';

/** A font file and, for a collection (.ttc), the PostScript name of the face to use. */
export interface PdfFont {
  path: string;
  face?: string;
}

// Simplified-Chinese faces where Debian/Ubuntu (fonts-noto-cjk, fonts-wqy-*), RHEL-likes,
// macOS and Windows put them. A PDF needs the glyphs embedded: the PDF standard fonts have none
// for Chinese, so without one of these the export is refused rather than printed as boxes.
const CANDIDATES: PdfFont[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/wqy-microhei/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  { path: '/System/Library/Fonts/PingFang.ttc', face: 'PingFangSC-Regular' },
  { path: 'C:\\Windows\\Fonts\\msyh.ttc', face: 'MicrosoftYaHei' },
];

/**
 * The font the PDF exports use: HUITONG_PDF_FONT (`/path/font.ttf`, or `/path/fonts.ttc#Face`)
 * when set, else the first Chinese face found on the machine; a 503 `pdf_font_unavailable` when
 * there is none (docs/deployment.md says which package to install).
 */
export function pdfFont(configured?: string): PdfFont {
  if (configured) {
    const [path, face] = configured.split('#') as [string, string | undefined];
    if (existsSync(path)) return face ? { path, face } : { path };
  } else {
    const found = CANDIDATES.find((c) => existsSync(c.path));
    if (found) return found;
  }
  throw new ServiceUnavailableError(
    'pdf_font_unavailable',
    'No Chinese font to print the PDF with: install fonts-noto-cjk (or set HUITONG_PDF_FONT); the XLSX export works without one',
  );
}
