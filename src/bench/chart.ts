// The throughput-over-time chart as SVG: one panel per run (their time scales differ by an order of
// magnitude), completions per second over time, the run's average as a dashed line, and for the realistic
// run the Kingdee bound. Pure string building; rasterize.ts turns it into a PNG.
import type { ThroughputPoint } from './stats';

export interface ChartPanel {
  title: string;
  points: ThroughputPoint[];
  /** Horizontal reference lines (average, bound). */
  references: Array<{ label: string; value: number; color: string }>;
}

const WIDTH = 960;
const PANEL_HEIGHT = 230;
const MARGIN = { left: 64, right: 24, top: 34, bottom: 40 };
const LINE = '#1f77b4';

/** A round step (1, 2 or 5 × 10^k) giving about `ticks` ticks up to `max`. */
export function niceStep(max: number, ticks = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  return step;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) < 1 ? 2 : 1));

function panel(p: ChartPanel, top: number): string {
  const w = WIDTH - MARGIN.left - MARGIN.right;
  const h = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x0 = MARGIN.left;
  const y0 = top + MARGIN.top;
  const maxX = Math.max(1, ...p.points.map((q) => q.atSeconds));
  const maxY = Math.max(1e-9, ...p.points.map((q) => q.perSecond), ...p.references.map((r) => r.value)) * 1.1;
  const xStep = niceStep(maxX, 8);
  const yStep = niceStep(maxY, 4);
  const sx = (s: number) => x0 + (s / maxX) * w;
  const sy = (v: number) => y0 + h - (v / maxY) * h;
  const out: string[] = [];
  out.push(`<text x="${x0}" y="${top + 20}" font-size="15" font-weight="bold">${escapeXml(p.title)}</text>`);
  for (let v = 0; v <= maxY + 1e-9; v += yStep) {
    out.push(`<line x1="${x0}" y1="${sy(v)}" x2="${x0 + w}" y2="${sy(v)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x0 - 6}" y="${sy(v) + 4}" font-size="11" text-anchor="end">${num(v)}</text>`);
  }
  for (let s = 0; s <= maxX + 1e-9; s += xStep) {
    out.push(`<line x1="${sx(s)}" y1="${y0 + h}" x2="${sx(s)}" y2="${y0 + h + 4}" stroke="#333"/>`);
    out.push(`<text x="${sx(s)}" y="${y0 + h + 17}" font-size="11" text-anchor="middle">${num(s)}</text>`);
  }
  out.push(`<line x1="${x0}" y1="${y0 + h}" x2="${x0 + w}" y2="${y0 + h}" stroke="#333"/>`);
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 + h}" stroke="#333"/>`);
  out.push(`<text x="${x0 + w / 2}" y="${y0 + h + 33}" font-size="11" text-anchor="middle">seconds since the poll started</text>`);
  out.push(`<text transform="translate(${x0 - 46} ${y0 + h / 2}) rotate(-90)" font-size="11" text-anchor="middle">refunds/s</text>`);
  // A step line: each bucket's rate holds from its start to its end.
  let prevEnd = 0;
  const steps: string[] = [];
  for (const q of p.points) {
    steps.push(`${sx(prevEnd).toFixed(1)},${sy(q.perSecond).toFixed(1)}`, `${sx(q.atSeconds).toFixed(1)},${sy(q.perSecond).toFixed(1)}`);
    prevEnd = q.atSeconds;
  }
  if (steps.length > 0) out.push(`<polyline points="${steps.join(' ')}" fill="none" stroke="${LINE}" stroke-width="2"/>`);
  p.references.forEach((r, i) => {
    out.push(`<line x1="${x0}" y1="${sy(r.value)}" x2="${x0 + w}" y2="${sy(r.value)}" stroke="${r.color}" stroke-dasharray="6 4" stroke-width="1.5"/>`);
    // Labels alternate right and left, so two close lines keep readable labels.
    const [x, anchor] = i % 2 === 0 ? [x0 + w - 4, 'end'] : [x0 + 6, 'start'];
    out.push(`<text x="${x}" y="${sy(r.value) - 5}" font-size="11" text-anchor="${anchor}" fill="${r.color}">${escapeXml(r.label)}</text>`);
  });
  return out.join('\n');
}

export function throughputChartSvg(title: string, panels: readonly ChartPanel[]): string {
  const height = 40 + panels.length * PANEL_HEIGHT;
  const body = panels.map((p, i) => panel(p, 40 + i * PANEL_HEIGHT)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" fill="#222">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="26" font-size="17" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}
