/**
 * Reliability diagram as a self-contained SVG string (no plotting dependency): one panel per
 * outcome, mean forecast probability per bin against the observed frequency, for the ensemble and
 * the market, with the diagonal of perfect calibration. Marker area grows with the bin's count.
 */
import type { CompactCalibration } from './backtest-metrics';

/** Options for {@link calibrationSvg}. */
export interface CalibrationSvgOptions {
  /** Title line at the top. */
  title: string;
  /** The model's curves (drawn in blue). */
  model: CompactCalibration;
  /** Label of the model (default 'ensemble'). */
  modelLabel?: string;
  /** The market's curves (drawn in orange), if any. */
  market?: CompactCalibration | null;
  /** Label of the market (default 'market'). */
  marketLabel?: string;
}

const PANEL = 240;
const MARGIN = { left: 50, top: 60, gap: 50, bottom: 60 };
const COLOURS = { model: '#1f77b4', market: '#ff7f0e', diagonal: '#999999' };

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fmt = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Axis maximum: the largest value to show, rounded up to a tenth, at least 0.5. */
function axisMax(curves: readonly (readonly [number, number, number][])[]): number {
  let m = 0;
  for (const c of curves) for (const [p, o] of c) m = Math.max(m, p, o);
  return Math.min(1, Math.max(0.5, Math.ceil(m * 10 + 1e-9) / 10));
}

function panel(
  x0: number,
  label: string,
  series: { points: readonly [number, number, number][]; colour: string }[],
  total: number,
): string {
  const max = axisMax(series.map((s) => s.points));
  const sx = (p: number): number => x0 + (p / max) * PANEL;
  const sy = (p: number): number => MARGIN.top + PANEL - (p / max) * PANEL;
  const parts: string[] = [];
  parts.push(`<rect x="${x0}" y="${MARGIN.top}" width="${PANEL}" height="${PANEL}" fill="#fff" stroke="#333"/>`);
  for (let t = 0; t <= max + 1e-9; t += 0.1) {
    const v = Math.round(t * 10) / 10;
    parts.push(
      `<line x1="${fmt(sx(v))}" y1="${MARGIN.top + PANEL}" x2="${fmt(sx(v))}" y2="${MARGIN.top + PANEL + 4}" stroke="#333"/>`,
      `<text x="${fmt(sx(v))}" y="${MARGIN.top + PANEL + 16}" font-size="10" text-anchor="middle">${v.toFixed(1)}</text>`,
      `<line x1="${x0 - 4}" y1="${fmt(sy(v))}" x2="${x0}" y2="${fmt(sy(v))}" stroke="#333"/>`,
      `<text x="${x0 - 6}" y="${fmt(sy(v) + 3)}" font-size="10" text-anchor="end">${v.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(max)}" y2="${sy(max)}" stroke="${COLOURS.diagonal}" stroke-dasharray="4 3"/>`,
    `<text x="${x0 + PANEL / 2}" y="${MARGIN.top - 8}" font-size="13" text-anchor="middle" font-weight="bold">${escapeXml(label)}</text>`,
    `<text x="${x0 + PANEL / 2}" y="${MARGIN.top + PANEL + 34}" font-size="11" text-anchor="middle">forecast probability</text>`,
  );
  for (const s of series) {
    if (s.points.length === 0) continue;
    const path = s.points.map(([p, o]) => `${fmt(sx(p))},${fmt(sy(o))}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${s.colour}" stroke-width="1.5"/>`);
    for (const [p, o, n] of s.points) {
      const r = Math.max(1.5, Math.sqrt(n / Math.max(total, 1)) * 18);
      parts.push(
        `<circle cx="${fmt(sx(p))}" cy="${fmt(sy(o))}" r="${fmt(r)}" fill="${s.colour}" fill-opacity="0.35" stroke="${s.colour}"><title>${escapeXml(
          `forecast ${p.toFixed(3)}, observed ${o.toFixed(3)}, n=${n}`,
        )}</title></circle>`,
      );
    }
  }
  return parts.join('\n');
}

/** The reliability diagram as an SVG document. */
export function calibrationSvg(options: CalibrationSvgOptions): string {
  const outcomes = [
    ['home', 'Home win'],
    ['draw', 'Draw'],
    ['away', 'Away win'],
  ] as const;
  const width = MARGIN.left + 3 * PANEL + 2 * MARGIN.gap + 20;
  const height = MARGIN.top + PANEL + MARGIN.bottom + 30;
  const total = options.model.home.reduce((s, [, , n]) => s + n, 0);
  const panels = outcomes.map(([key, label], i) =>
    panel(
      MARGIN.left + i * (PANEL + MARGIN.gap),
      label,
      [
        { points: options.model[key], colour: COLOURS.model },
        ...(options.market ? [{ points: options.market[key], colour: COLOURS.market }] : []),
      ],
      total,
    ),
  );
  const modelLabel = `${options.modelLabel ?? 'ensemble'} (ECE ${options.model.ece.toFixed(4)})`;
  const legendY = height - 14;
  const legend = [
    `<circle cx="${MARGIN.left + 6}" cy="${legendY - 4}" r="5" fill="${COLOURS.model}"/>`,
    `<text x="${MARGIN.left + 16}" y="${legendY}" font-size="12">${escapeXml(modelLabel)}</text>`,
  ];
  if (options.market) {
    const marketLabel = `${options.marketLabel ?? 'market'} (ECE ${options.market.ece.toFixed(4)})`;
    legend.push(
      `<circle cx="${MARGIN.left + 306}" cy="${legendY - 4}" r="5" fill="${COLOURS.market}"/>`,
      `<text x="${MARGIN.left + 316}" y="${legendY}" font-size="12">${escapeXml(marketLabel)}</text>`,
    );
  }
  legend.push(
    `<line x1="${MARGIN.left + 606}" y1="${legendY - 4}" x2="${MARGIN.left + 630}" y2="${legendY - 4}" stroke="${COLOURS.diagonal}" stroke-dasharray="4 3"/>`,
    `<text x="${MARGIN.left + 636}" y="${legendY}" font-size="12">perfect calibration</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fafafa"/>`,
    `<text x="${width / 2}" y="24" font-size="15" text-anchor="middle">${escapeXml(options.title)}</text>`,
    `<text x="14" y="${MARGIN.top + PANEL / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${MARGIN.top + PANEL / 2})">observed frequency</text>`,
    ...panels,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
