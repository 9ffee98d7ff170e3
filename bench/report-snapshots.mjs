// Report snapshots to compare by eye after a change: renders each kind of report to PDF in Chromium, turns the
// pages into PNG (pdftoppm, low resolution) and tiles them into one PNG per report kind under
// bench/output/report-snapshots/.  Needs Chromium and poppler-utils (pdftoppm).
//   node bench/report-snapshots.mjs [--dpi 40]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadReport, root } from './report-lib.mjs';
import { montage } from './report-montage.mjs';

const dpi = Number(process.argv[process.argv.indexOf('--dpi') + 1]) || 40;
const { renderHtml, renderDashboardHtml, PdfRenderer, handmade } = await loadReport();
const fixtures = path.join(root, 'test/fixtures/results');
const load = (n) => JSON.parse(readFileSync(path.join(fixtures, `fashion-mnist-hw4-${n}.json`), 'utf8'));
const now = new Date('2026-11-21T12:00:00Z');

const kinds = [
  ['student-correct', () => renderHtml(load('correct'), { audience: 'student', now }), 'correct'],
  ['student-buggy', () => renderHtml(load('missing-1-over-n'), { audience: 'student', now }), 'missing-1-over-n'],
  ['student-accuracy-architecture', () => renderHtml(handmade.handmadeResult(), { audience: 'student', now }), 'alice-ng'],
  [
    'dashboard',
    () => {
      const files = readdirSync(fixtures).filter((f) => f.startsWith('fashion-mnist-hw4-') && f.endsWith('.json')).sort();
      const results = files.map((f) => JSON.parse(readFileSync(path.join(fixtures, f), 'utf8')));
      return renderDashboardHtml(results, { now, reportLinks: results.map((r) => `${path.basename(r.submission.dir)}.html`), gradebookHref: 'gradebook.csv' });
    },
    'class',
  ],
];

const outDir = path.join(root, 'bench/output/report-snapshots');
mkdirSync(outDir, { recursive: true });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'nngrade-snapshots-'));
const renderer = await new PdfRenderer().open();
try {
  for (const [name, make, who] of kinds) {
    const pdf = await renderer.render(await make(), { headerLeft: 'Homework (snapshot)', headerRight: who, footerLeft: name });
    const pdfFile = path.join(tmp, `${name}.pdf`);
    writeFileSync(pdfFile, pdf);
    execFileSync('pdftoppm', ['-png', '-r', String(dpi), pdfFile, path.join(tmp, name)]);
    const pages = readdirSync(tmp).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png')).sort((a, b) => Number(a.match(/-(\d+)\.png$/)[1]) - Number(b.match(/-(\d+)\.png$/)[1]));
    const png = montage(pages.map((p) => path.join(tmp, p)), 4);
    writeFileSync(path.join(outDir, `${name}.png`), png);
    console.log(`${name.padEnd(34)} ${String(pages.length).padStart(2)} pages → bench/output/report-snapshots/${name}.png (${Math.round(png.length / 1024)} KB)`);
  }
} finally {
  await renderer.close();
  rmSync(tmp, { recursive: true, force: true });
}
