// A QR code drawn as SVG, named for screen readers by what it holds (the text stays beside it).
import { useMemo } from "preact/hooks";
import { qrPath } from "./qr-path.ts";

export const QrCode = ({ text, label, size = 168 }: { text: string; label: string; size?: number }) => {
  const { side, d } = useMemo(() => qrPath(text), [text]);
  return (
    <svg
      class="qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${side} ${side}`}
      width={size}
      height={size}
      shape-rendering="crispEdges"
      data-testid="question-qr"
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
};
