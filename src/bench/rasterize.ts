// SVG → PNG through a converter already on the machine (librsvg's rsvg-convert, else ImageMagick 7's
// `magick`); no npm dependency. Without either the SVG alone is kept and the caller says so.
import { spawnSync } from 'node:child_process';

const CONVERTERS: Array<{ command: string; args: (svg: string, png: string) => string[] }> = [
  { command: 'rsvg-convert', args: (svg, png) => ['--format', 'png', '--output', png, svg] },
  { command: 'magick', args: (svg, png) => [svg, png] },
];

/** Writes `pngPath` from `svgPath`; returns the converter used, or undefined when none worked. */
export function rasterizeSvg(svgPath: string, pngPath: string): string | undefined {
  for (const c of CONVERTERS) {
    const run = spawnSync(c.command, c.args(svgPath, pngPath), { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    if (run.status === 0) return c.command;
  }
  return undefined;
}
