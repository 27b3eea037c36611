// A QR code (the `qrcode` package's encoder) as one SVG path of unit squares, with the quiet zone the
// standard asks for around it: drawn by the console itself, so no image URL (and no CSP exception) is
// needed, and a test can compare the drawn path with the text it should encode.
import { create } from "qrcode";

/** Modules of white around the symbol (ISO/IEC 18004's quiet zone). */
export const quietZone = 4;

export interface QrPath {
  /** The side of the drawing, quiet zone included, in modules. */
  readonly side: number;
  /** The dark modules, each `M x y h1 v1 h-1 z`. */
  readonly d: string;
}

/** The QR code of `text`, error correction M (15 % of the symbol may be unreadable). */
export const qrPath = (text: string): QrPath => {
  const { modules } = create(text, { errorCorrectionLevel: "M" });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row += 1)
    for (let column = 0; column < modules.size; column += 1)
      if (modules.get(row, column)) parts.push(`M${column + quietZone} ${row + quietZone}h1v1h-1z`);
  return { side: modules.size + 2 * quietZone, d: parts.join("") };
};
