/**
 * PDF reports printed by a real Chromium (puppeteer-core), one browser for a
 * batch; no network from the page; and a clear way out when there is no
 * Chromium. The Chromium tests are skipped only when no browser exists (CI
 * installs one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChromiumNotFoundError, PdfRenderer, countPdfPages, findChromium } from '../grader/report/pdf.ts';
import { renderHtml } from '../grader/report/html.ts';
import { writeReports } from '../grader/report/write.ts';
import type { GradeResult } from '../grader/judge/result.ts';
import { handmadeResult, SECRETS } from './fixtures/results/handmade.ts';

const chromium = (() => {
  try {
    return findChromium();
  } catch {
    return undefined;
  }
})();
const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const NOW = new Date('2026-11-21T12:00:00Z');
const fixture = (n: string): GradeResult => JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/results', n), 'utf8'));

function tiny(): GradeResult {
  const r = handmadeResult();
  r.parts = [r.parts.find((p) => p.id === 'conv-answers')!];
  r.score = 1;
  r.maxScore = 2;
  return r;
}

/** Text of each page (pdftotext, form feed between pages). */
function pageTexts(pdf: Buffer): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-pdf-'));
  try {
    const f = path.join(dir, 'r.pdf');
    writeFileSync(f, pdf);
    return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' }).split('\f').filter((t, i, a) => i < a.length - 1 || t.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const why = chromium ? '' : ' (SKIPPED: no Chromium found; apt-get install chromium or set NNGRADE_CHROMIUM)';

describe.skipIf(!chromium)(`PDF in real Chromium${why}`, () => {
  let renderer: PdfRenderer;
  beforeAll(async () => {
    renderer = await new PdfRenderer({ executablePath: chromium }).open();
  }, 60_000);
  afterAll(async () => {
    await renderer?.close();
  });

  it('a one-part report is one A4 page with the header and "page 1 of 1"', async () => {
    const r = tiny();
    const pdf = await renderer.render(await renderHtml(r, { audience: 'student', now: NOW }), { headerLeft: r.assignment.title, headerRight: 'alice-ng', footerLeft: 'fashion-mnist-cnn · alice-ng' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(countPdfPages(pdf)).toBe(1);
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox\s*\[0 0 595\.9\d* 841\.9\d*/);
    if (hasPdftotext) {
      const [p1] = pageTexts(pdf);
      expect(p1).toContain('page 1 of 1');
      expect(p1).toContain('Homework 5: a CNN for Fashion-MNIST');
      expect(p1).toContain('alice-ng');
    }
  }, 30_000);

  it('page breaks are honoured: a template breaking before each part gives 1 + parts pages, numbered "page X of Y"', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-tpl-'));
    try {
      for (const k of ['function', 'generic', 'answer', 'gradcheck', 'architecture', 'accuracy', 'manual', 'redacted']) {
        writeFileSync(path.join(dir, `part-${k}.hbs`), `<section class="part" style="break-before: page" data-part="{{id}}">{{> part-header}}</section>`);
      }
      const r = handmadeResult();
      const pdf = await renderer.render(await renderHtml(r, { audience: 'student', templatesDir: dir, now: NOW }), { headerLeft: 'x' });
      expect(countPdfPages(pdf)).toBe(1 + r.parts.length);
      if (hasPdftotext) {
        const pages = pageTexts(pdf);
        expect(pages.length).toBe(1 + r.parts.length);
        pages.forEach((t, i) => expect(t).toContain(`page ${i + 1} of ${pages.length}`));
        expect(pages[3]).toContain('Output sizes and receptive fields');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('the full hand-made report: several pages, every page numbered, no hidden value in the student PDF', async () => {
    const r = handmadeResult();
    const pdf = await renderer.render(await renderHtml(r, { audience: 'student', now: NOW }), { headerLeft: r.assignment.title, headerRight: 'alice-ng' });
    const n = countPdfPages(pdf);
    expect(n).toBeGreaterThanOrEqual(4);
    expect(n).toBeLessThanOrEqual(9);
    if (hasPdftotext) {
      const pages = pageTexts(pdf);
      expect(pages.length).toBe(n);
      pages.forEach((t, i) => {
        expect(t).toContain(`page ${i + 1} of ${n}`);
        expect(t).toContain('alice-ng');
      });
      const all = pages.join('\n');
      for (const s of [String(SECRETS.hiddenLoss), SECRETS.hiddenMessage, SECRETS.hiddenOutput]) expect(all).not.toContain(s);
      // A part's header never sits alone at the bottom of a page.
      for (const t of pages) {
        const lines = t.trimEnd().split('\n').filter((l) => l.trim());
        const lastBody = lines.slice(-3).join(' ');
        expect(lastBody).not.toMatch(/\d+ \/ \d+ points\s*$/);
      }
    }
  }, 30_000);

  it('no request leaves the page: our renderer blocks none because none are made', async () => {
    renderer.blockedRequests.length = 0;
    for (const n of ['fashion-mnist-hw4-correct.json', 'fashion-mnist-hw4-buggy-grad.json']) {
      await renderer.render(await renderHtml(fixture(n), { audience: 'instructor', now: NOW }));
    }
    await renderer.render(await renderHtml(handmadeResult(), { audience: 'instructor', now: NOW }));
    expect(renderer.blockedRequests).toEqual([]);
    // ...and the interception works: a page that does reach out is caught and blocked.
    await renderer.render('<html><head><link rel="stylesheet" href="https://example.com/x.css"></head><body><img src="http://example.com/a.png">hi</body></html>');
    expect(renderer.blockedRequests).toEqual(expect.arrayContaining(['https://example.com/x.css', 'http://example.com/a.png']));
  }, 60_000);

  it('independently: a plain puppeteer page with interception sees no request but data: URLs while loading a report', async () => {
    const { default: puppeteer } = await import('puppeteer-core');
    const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-test-chromium-'));
    const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${userDataDir}`] });
    try {
      const page = await browser.newPage();
      await page.setRequestInterception(true);
      const seen: string[] = [];
      page.on('request', (req) => {
        const u = req.url();
        if (!u.startsWith('data:') && u !== 'about:blank') seen.push(u);
        void (u.startsWith('data:') || u === 'about:blank' ? req.continue() : req.abort());
      });
      // JavaScript stays on here: the report must not need it, and must not make requests even if it could.
      await page.setContent(await renderHtml(handmadeResult(), { audience: 'student', now: NOW }), { waitUntil: "load" });
      const imgs = await page.$$eval('img', (els) => els.map((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0));
      expect(imgs.length).toBe(25);
      expect(imgs.every(Boolean)).toBe(true); // the data-URI images did load
      expect(seen).toEqual([]);
    } finally {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('writeReports: HTML and PDF per result with one shared browser, dashboard and gradebook beside them', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-reports-'));
    try {
      const results = ['correct', 'buggy-grad', 'crash'].map((n) => fixture(`fashion-mnist-hw4-${n}.json`));
      const { files, pdfSkipped } = await writeReports(results, { html: true, pdf: true, audience: 'student', outDir: out, dashboard: true, renderer, now: NOW });
      expect(pdfSkipped).toBeUndefined();
      expect(readdirSync(path.join(out, 'fashion-mnist-hw4')).sort()).toEqual(['buggy-grad.html', 'buggy-grad.pdf', 'correct.html', 'correct.pdf', 'crash.html', 'crash.pdf', 'dashboard.html', 'gradebook.csv']);
      expect(files.length).toBe(8);
      for (const f of files.filter((x) => x.endsWith('.pdf'))) expect(readFileSync(f).subarray(0, 5).toString()).toBe('%PDF-');
      expect(readdirSync(path.join(out, 'fashion-mnist-hw4')).some((f) => f.endsWith('.tmp'))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('without Chromium', () => {
  it('NNGRADE_CHROMIUM naming a missing file is a clear error saying how to get a browser', () => {
    expect(() => findChromium({ NNGRADE_CHROMIUM: '/no/such/chromium' })).toThrow(ChromiumNotFoundError);
    try {
      findChromium({ NNGRADE_CHROMIUM: '/no/such/chromium' });
    } catch (e) {
      expect((e as ChromiumNotFoundError).message).toContain('NNGRADE_CHROMIUM is set to /no/such/chromium');
      expect((e as ChromiumNotFoundError).hint).toMatch(/apt-get install chromium.*NNGRADE_CHROMIUM/);
    }
  });

  it('NNGRADE_CHROMIUM wins over PUPPETEER_EXECUTABLE_PATH', () => {
    const self = process.execPath; // any existing file will do for the lookup
    expect(findChromium({ NNGRADE_CHROMIUM: self, PUPPETEER_EXECUTABLE_PATH: '/nope' })).toBe(self);
    expect(findChromium({ PUPPETEER_EXECUTABLE_PATH: self })).toBe(self);
  });

  it('writeReports skips the PDFs with the reason and still writes HTML, dashboard and gradebook', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-nopdf-'));
    const saved = process.env.NNGRADE_CHROMIUM;
    process.env.NNGRADE_CHROMIUM = '/no/such/chromium';
    try {
      const { files, pdfSkipped } = await writeReports([fixture('fashion-mnist-hw4-correct.json')], { html: true, pdf: true, audience: 'student', outDir: out, dashboard: true, now: NOW });
      expect(pdfSkipped).toMatch(/apt-get install chromium/);
      expect(pdfSkipped).toMatch(/NNGRADE_CHROMIUM/);
      expect(files.map((f) => path.basename(f)).sort()).toEqual(['correct.html', 'dashboard.html', 'gradebook.csv']);
      expect(existsSync(path.join(out, 'fashion-mnist-hw4', 'correct.pdf'))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NNGRADE_CHROMIUM;
      else process.env.NNGRADE_CHROMIUM = saved;
      rmSync(out, { recursive: true, force: true });
    }
  }, 30_000);
});
