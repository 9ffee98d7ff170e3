// Time per report over a batch of 50 (HTML render, then PDF print with one shared Chromium); prints medians.
// Results cycle through the saved example results (test/fixtures/results) and the hand-made CNN result with
// plots and 25 real Fashion-MNIST images. A figure, not an assertion (target: ≤ 0.3 s per PDF).
//   node bench/report-bench.mjs [--n 50] [--audience student|instructor]
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadReport, root } from './report-lib.mjs';

const arg = (name, dflt) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : dflt);
const n = Number(arg('--n', 50));
const audience = arg('--audience', 'student');
const { renderHtml, PdfRenderer, countPdfPages, handmade } = await loadReport();

const fixtures = path.join(root, 'test/fixtures/results');
const saved = readdirSync(fixtures).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(path.join(fixtures, f), 'utf8')));
const pool = [...saved, handmade.handmadeResult()];
const batch = Array.from({ length: n }, (_, i) => pool[i % pool.length]);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9), max: s[s.length - 1], total: s.reduce((a, b) => a + b, 0) };
};
const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;

const t0 = performance.now();
const renderer = await new PdfRenderer().open();
const openMs = performance.now() - t0;

const htmlMs = [], pdfMs = [], pages = [], heavy = { html: [], pdf: [] };
try {
  for (const r of batch) {
    const a = performance.now();
    const html = await renderHtml(r, { audience });
    const b = performance.now();
    const pdf = await renderer.render(html, { headerLeft: r.assignment.title, headerRight: path.basename(r.submission.dir) });
    const c = performance.now();
    htmlMs.push(b - a);
    pdfMs.push(c - b);
    pages.push(countPdfPages(pdf));
    if (r.parts.some((p) => (p.artifacts ?? []).some((x) => x.type === 'samples'))) {
      heavy.html.push(b - a);
      heavy.pdf.push(c - b);
    }
  }
} finally {
  await renderer.close();
}

const h = stats(htmlMs), p = stats(pdfMs);
console.log(`nngrade report bench: ${n} reports (${audience} view), ${pool.length} distinct results, one Chromium (${renderer.executablePath})`);
console.log(`  browser start            ${fmt(openMs)}`);
console.log(`  HTML per report          median ${fmt(h.median)}   p90 ${fmt(h.p90)}   max ${fmt(h.max)}  (first: ${fmt(htmlMs[0])}, loads vega)`);
console.log(`  PDF per report           median ${fmt(p.median)}   p90 ${fmt(p.p90)}   max ${fmt(p.max)}  (from the HTML)`);
console.log(`  HTML + PDF per report    median ${fmt(stats(htmlMs.map((x, i) => x + pdfMs[i])).median)}`);
if (heavy.pdf.length) console.log(`  with plots + 25 images   HTML median ${fmt(stats(heavy.html).median)}   PDF median ${fmt(stats(heavy.pdf).median)}   (${heavy.pdf.length} reports)`);
console.log(`  pages per PDF            median ${stats(pages).median}, max ${stats(pages).max}`);
console.log(`  whole batch              ${fmt(performance.now() - t0)}`);
