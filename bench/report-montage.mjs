// Tile PNG pages into one PNG (used for the report snapshots): node bench/report-montage.mjs out.png cols page1.png page2.png ...
import { PNG } from 'pngjs';
import { readFileSync, writeFileSync } from 'node:fs';

export function montage(files, cols = 3, gap = 8) {
  const pages = files.map((f) => PNG.sync.read(readFileSync(f)));
  const w = Math.max(...pages.map((p) => p.width)), h = Math.max(...pages.map((p) => p.height));
  const rows = Math.ceil(pages.length / cols);
  const c = Math.min(cols, pages.length);
  const out = new PNG({ width: c * w + (c + 1) * gap, height: rows * h + (rows + 1) * gap });
  out.data.fill(0x88);
  for (let i = 3; i < out.data.length; i += 4) out.data[i] = 255;
  pages.forEach((p, i) => {
    const x0 = gap + (i % cols) * (w + gap), y0 = gap + Math.floor(i / cols) * (h + gap);
    PNG.bitblt(p, out, 0, 0, p.width, p.height, x0, y0);
  });
  return PNG.sync.write(out, { colorType: 2 });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, cols, ...files] = process.argv.slice(2);
  writeFileSync(out, montage(files, Number(cols)));
}
