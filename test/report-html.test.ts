/**
 * The HTML report: every part kind's view, parsed with cheerio and checked
 * for the content a reader needs (status, points, check rows, side-by-side
 * model summaries, plots as inline SVG, the 25-image grid from real
 * Fashion-MNIST pixels), and for being self-contained.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import * as cheerio from 'cheerio';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { renderHtml } from '../grader/report/html.ts';
import type { GradeResult } from '../grader/judge/result.ts';
import { FASHION_CLASSES, FASHION_DIR, fashionAvailable, handmadeResult } from './fixtures/results/handmade.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures/results');
const load = (name: string): GradeResult => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));
const NOW = new Date('2026-11-21T12:00:00Z');

let $: cheerio.CheerioAPI;
let html: string;
const part = (id: string) => $(`section[data-part="${id}"]`);

beforeAll(async () => {
  html = await renderHtml(handmadeResult(), { audience: 'instructor', now: NOW });
  $ = cheerio.load(html);
}, 30_000);

describe('report header', () => {
  it('names the assignment, the student, the score, the backend, when and how long', () => {
    expect($('h1').text()).toBe('Homework 5: a CNN for Fashion-MNIST');
    expect($('.submission-name').text()).toBe('alice-ng');
    expect($('.score-box .score').text()).toBe('11.75');
    expect($('.score-box .of').text().trim()).toBe('/ 20');
    const meta = $('.meta').text();
    expect(meta).toContain('tensorflow (tfjs-node)');
    expect(meta).toContain('2026-11-20 14:05 UTC');
    expect(meta).toContain('52.5 s');
    expect($('title').text()).toContain('alice-ng');
  });

  it('lists every part with its status and points, and the total', () => {
    const rows = $('table.parts-summary tbody tr');
    expect(rows.length).toBe(9);
    expect(rows.eq(1).find('td').eq(1).text()).toContain('Test accuracy of your trained CNN');
    expect(rows.eq(1).find('.badge').text()).toBe('partly passed');
    expect(rows.eq(1).find('td').last().text()).toBe('3.25 / 5');
    expect($('table.parts-summary tfoot .total').text()).toBe('11.75 / 20');
    expect($('table.parts-summary tfoot .skipped-note').text()).toBe('(1 part not checked here is not counted)');
  });
});

describe('part views', () => {
  it('every part shows title, status and points; each kind uses its own partial (unknown kinds the generic one)', () => {
    for (const [id, kind] of [['cnn-architecture', 'architecture'], ['cnn-accuracy', 'accuracy'], ['conv-answers', 'answer'], ['scratch-gradcheck', 'gradcheck'], ['scratch-forward', 'function'], ['notebook-manual', 'manual']]) {
      const s = part(id);
      expect(s.length, id).toBe(1);
      expect(s.hasClass(`kind-${kind}`), id).toBe(true);
      expect(s.find('.part-head .badge').text().length, id).toBeGreaterThan(0);
      expect(s.find('.part-head .points').text(), id).toMatch(/^[\d.]+ \/ [\d.]+ points$/);
    }
    expect(part('scratch-forward').find('.badge').text()).toBe('passed');
    expect(part('after-published').find('.badge').text()).toBe('timed out');
    expect(part('notebook-manual').find('.badge').text()).toBe('not checked');
  });

  it('function: a row per check, big arrays summarised, worst element and errors shown', () => {
    const rows = part('scratch-forward').find('table.checks tbody tr');
    expect(rows.length).toBe(2);
    const y = rows.eq(0);
    expect(y.find('.name').text()).toBe('Y');
    expect(y.find('td.num').text()).toBe('1.5');
    expect(y.find('.expected .v-head').text()).toBe('shape [1000]');
    expect(y.find('.expected').text()).toContain('min 0.5866');
    expect(y.find('.expected').text()).toContain('mean 0.6255');
    expect(y.find('.received').text()).toContain('same as expected');
    expect(y.find('.worst').text()).toContain('[526]');
    expect(y.find('.errors').text()).toContain('rel 0');
    // a small array is shown whole
    expect(rows.eq(1).find('.expected').text()).toContain('[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]');
  });

  it('failed checks are marked; their messages are shown above the table', () => {
    const s = part('scratch-gradcheck');
    expect(s.find('.messages .message').first().text()).toContain('max relative error 0.3333');
    const failed = s.find('table.checks tr.check-fail');
    expect(failed.length).toBe(1);
    expect(failed.find('.cross').length).toBe(1);
    expect(failed.find('.worst').text()).toContain('[2, 1]');
    expect(failed.find('.worst').text()).toContain('-0.000744');
  });

  it('answer: question, your answer and the expected answer', () => {
    const t = part('conv-answers').find('table.answers');
    expect(t.find('thead').text()).toContain('Your answer');
    const rf = t.find('tbody tr').eq(1);
    expect(rf.hasClass('check-fail')).toBe(true);
    expect(rf.find('.received').text()).toBe('7');
    expect(rf.find('.expected').text()).toBe('5');
  });

  it('architecture: student and reference summaries side by side, differing rows marked', () => {
    const t = part('cnn-architecture').find('table.model.side-by-side');
    expect(t.length).toBe(1);
    expect(t.find('thead .group').text()).toMatch(/Your model[\s\S]*Reference/);
    const rows = t.find('tbody tr');
    expect(rows.length).toBe(8);
    expect(t.find('tbody tr.diff').length).toBe(3);
    expect(t.find('tbody tr.diff .diff-mark').length).toBe(3);
    const r6 = rows.eq(5);
    expect(r6.hasClass('diff')).toBe(true);
    expect(r6.find('td.layer.student').text()).toContain('units=64');
    expect(r6.find('td.layer.reference').text()).toContain('units=128');
    expect(r6.find('td.num').last().text()).toBe('204,928');
    expect(rows.eq(0).hasClass('diff')).toBe(false);
    expect(rows.eq(7).find('td.layer.student').text()).toContain('(no layer)');
    expect(t.find('tfoot').text()).toContain('121,930');
    expect(t.find('tfoot').text()).toContain('225,034');
    expect(part('cnn-architecture').find('figcaption').text()).toContain('3 rows differ');
  });

  it('accuracy: bands, confusion heatmap, per-class bars and training curves as inline SVG', () => {
    const s = part('cnn-accuracy');
    for (const cls of ['bands', 'confusion', 'per-class', 'history']) {
      const svg = s.find(`figure.${cls} svg`);
      expect(svg.length, cls).toBe(1);
      expect(svg.find('path, rect, line').length, cls).toBeGreaterThan(3);
    }
    const confusionText = s.find('figure.confusion svg text').map((_, e) => $(e).text()).get();
    for (const c of FASHION_CLASSES) expect(confusionText, c).toContain(c);
    expect(confusionText).toContain('970'); // a count written in its cell
    expect(s.find('figure.confusion .caption-note').text()).toContain('Accuracy 87.10% of 10000 images');
    expect(s.find('figure.bands .bands-value').text()).toBe('87.10%');
    const historyText = s.find('figure.history svg text').map((_, e) => $(e).text()).get();
    expect(historyText).toEqual(expect.arrayContaining(['loss', 'accuracy', 'train', 'validation', 'epoch']));
    const perClassText = s.find('figure.per-class svg text').map((_, e) => $(e).text()).get();
    expect(perClassText).toEqual(expect.arrayContaining(['precision', 'recall', 'Shirt']));
  });

  it.skipIf(!fashionAvailable())('accuracy: a 25-image grid of PNG data URIs holding the real Fashion-MNIST pixels, GT/P under each, wrong ones marked', () => {
    const imgs = part('cnn-accuracy').find('.image-grid img');
    expect(imgs.length).toBe(25);
    imgs.each((_, e) => expect($(e).attr('src')).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/));
    const samples = part('cnn-accuracy').find('.image-grid .sample');
    expect(samples.first().find('.gt').text()).toMatch(/^GT: /);
    expect(samples.first().find('.pred').text()).toMatch(/^P: /);
    expect(part('cnn-accuracy').find('.sample.wrong').length).toBe(5);
    expect(part('cnn-accuracy').find('.sample.wrong .pred').first().text()).toContain('✗');

    // Read the IDX files here, independently, and compare with the pixels in the report.
    const raw = gunzipSync(readFileSync(`${FASHION_DIR}/t10k-images-idx3-ubyte.gz`));
    const labels = gunzipSync(readFileSync(`${FASHION_DIR}/t10k-labels-idx1-ubyte.gz`));
    expect(raw.readUInt32BE(0)).toBe(2051);
    for (const k of [0, 7, 24]) {
      const png = PNG.sync.read(Buffer.from($(imgs[k]).attr('src')!.split(',')[1], 'base64'));
      const scale = png.width / 28;
      expect(png.height).toBe(28 * scale);
      const idx = raw.subarray(16 + k * 784, 16 + (k + 1) * 784);
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
        expect(png.data[((y * scale) * png.width + x * scale) * 4]).toBe(idx[y * 28 + x]);
      }
      expect($(samples[k]).find('.gt').text()).toBe(`GT: ${FASHION_CLASSES[labels[8 + k]]}`);
    }
  });

  it('gradcheck: relative errors per parameter on a log-scale bar chart, and as a table', () => {
    const f = part('scratch-gradcheck').find('figure.gradcheck');
    const svg = f.find('svg');
    expect(svg.length).toBe(1);
    const ticks = svg.find('text').map((_, e) => $(e).text()).get();
    expect(ticks).toEqual(expect.arrayContaining(['1e-6', '1e-10', 'W1', 'b1', 'W2', 'b2']));
    expect(ticks.join(' ')).toContain('log scale');
    const rows = f.find('table.gradcheck-rows tbody tr');
    expect(rows.length).toBe(4);
    expect(rows.filter('.check-fail').length).toBe(1);
    expect(rows.eq(0).text()).toContain('0.3333');
    expect(f.find('tfoot').text()).toContain('1e-6');
  });

  it('printed output is shown, repeated lines collapsed', async () => {
    expect(part('cnn-accuracy').find('.output pre').text()).toContain('Epoch 2/12');
    const r = handmadeResult();
    r.parts[4].output = 'a\n' + 'debug loop\n'.repeat(40) + 'b\n';
    const one = cheerio.load(await renderHtml(r, { audience: 'student', now: NOW }));
    const text = one('section[data-part="scratch-forward"] .output pre').text();
    expect(text).toBe('a\ndebug loop\n… the line above repeated 39 more times\nb');
  });
});

describe('real results from the engine', () => {
  it('an architecture part from the engine: the student model beside the reference', async () => {
    const r = load('fashion-mnist-hw4-ffn-too-few-units.json');
    const c = cheerio.load(await renderHtml(r, { audience: 'student', now: NOW }));
    const s = c('section[data-part="ffn-architecture"]');
    expect(s.hasClass('kind-architecture')).toBe(true);
    expect(s.find('table.model.side-by-side').length).toBe(1);
    expect(s.find('table.model tbody tr.diff').length).toBeGreaterThan(0);
    expect(s.find('.messages').text().length).toBeGreaterThan(0);
  });

  it('a correct submission: every part passed, gradcheck plot present', async () => {
    const r = load('fashion-mnist-hw4-correct.json');
    const c = cheerio.load(await renderHtml(r, { audience: 'instructor', now: NOW }));
    expect(c('.score-box .score').text()).toBe('20');
    expect(c('table.parts-summary .badge').map((_, e) => c(e).text()).get()).toEqual(new Array(r.parts.length).fill('passed'));
    expect(c('section[data-part="scratch-gradcheck"] figure.gradcheck svg').length).toBe(1);
    expect(c('tr.check-fail').length).toBe(0);
  });

  it('a buggy submission: failing checks, the messages and the expected/received values', async () => {
    const r = load('fashion-mnist-hw4-buggy-grad.json');
    const c = cheerio.load(await renderHtml(r, { audience: 'student', now: NOW }));
    const bp = c('section[data-part="scratch-backprop"]');
    expect(bp.find('.badge').first().text()).toBe('partly passed');
    expect(bp.find('.part-head .points').text()).toBe('3 / 5 points');
    expect(bp.find('.messages').text()).toContain('2 × the expected value');
    const L = bp.find('tr.check-fail').first();
    expect(L.find('.name').text()).toBe('L');
    expect(L.find('.expected').text()).toBe('0.1332476222');
    expect(L.find('.received').text()).toBe('0.2664952445');
    expect(c('section[data-part="scratch-gradcheck"] table.gradcheck-rows tr.check-fail').length).toBe(3);
    expect(c('section[data-part="scratch-gradcheck"] .output pre').text()).toContain('debug: N = 1000');
  });

  it('a crashing submission: the error and where it happened', async () => {
    const r = load('fashion-mnist-hw4-crash.json');
    const c = cheerio.load(await renderHtml(r, { audience: 'student', now: NOW }));
    const f = c('section[data-part="scratch-forward"]');
    expect(f.find('.badge').first().text()).toBe('error');
    expect(f.find('.message').text()).toContain('shapes do not align');
    expect(f.find('.location code').text()).toBe('scratch.ts:18:29');
    expect(f.find('table.checks.compact tbody tr').length).toBe(4);
  });
});

describe('self-contained and safe', () => {
  it('has no script, no external stylesheet, font or image; CSS is inlined', () => {
    expect($('script').length).toBe(0);
    expect($('link').length).toBe(0);
    expect($('style').text()).toContain('.part-head');
    const urls = [
      ...$('[src]').map((_, e) => $(e).attr('src')).get(),
      ...$('[href]').map((_, e) => $(e).attr('href')).get(),
      ...$('[xlink\\:href]').map((_, e) => $(e).attr('xlink:href')).get(),
    ];
    for (const u of urls) expect(u).toMatch(/^(data:|#)/);
    expect($('style').text()).not.toMatch(/@import|url\(\s*['"]?(https?:|\/\/)/i);
    expect($('meta[http-equiv="Content-Security-Policy"]').attr('content')).toContain("default-src 'none'");
  });

  it('SVG ids are unique across the plots of one page', () => {
    const ids = $('svg [id]').map((_, e) => $(e).attr('id')).get();
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of $('svg [clip-path]').map((_, e) => $(e).attr('clip-path')).get()) {
      const id = /url\(#([^)]+)\)/.exec(ref)![1];
      expect(ids).toContain(id);
    }
  });

  it('what a student wrote is escaped everywhere, in tables and in plots', async () => {
    const r = handmadeResult();
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    r.parts[4].checks[0].name = evil;
    r.parts[4].output = evil;
    r.parts[0].messages = [evil];
    const ms = r.parts[0].artifacts![0] as Extract<NonNullable<GradeResult['parts'][0]['artifacts']>[number], { type: 'modelSummary' }>;
    ms.student[0].name = evil;
    const gc = r.parts[3].artifacts![0] as Extract<NonNullable<GradeResult['parts'][0]['artifacts']>[number], { type: 'gradcheck' }>;
    gc.rows[0].param = evil;
    const out = await renderHtml(r, { audience: 'instructor', now: NOW });
    const c = cheerio.load(out);
    expect(c('script').length).toBe(0);
    expect(c('img[onerror]').length).toBe(0);
    expect(c('section[data-part="scratch-forward"] .check-name .name').first().text()).toBe(evil);
    expect(c('section[data-part="scratch-gradcheck"] svg text').map((_, e) => c(e).text()).get().join('')).toContain('<script>');
  });
});

describe('odd results', () => {
  it('an artifact that cannot be drawn says so in its place; the rest of the report is intact', async () => {
    const r = handmadeResult();
    const acc = r.parts[1];
    const samples = acc.artifacts!.find((a) => a.type === 'samples') as Extract<NonNullable<typeof acc.artifacts>[number], { type: 'samples' }>;
    samples.images[0].pixels = 'AAAA';
    acc.artifacts!.push({ type: 'someday', title: 'A future artifact', data: [1, 2, 3] } as never);
    const c = cheerio.load(await renderHtml(r, { audience: 'instructor', now: NOW }));
    const s = c('section[data-part="cnn-accuracy"]');
    expect(s.find('figure.samples .plot-error').text()).toMatch(/could not draw this samples artifact: image has 3 bytes/);
    expect(s.find('figure.generic figcaption').text()).toContain('A future artifact');
    expect(s.find('figure.confusion svg').length).toBe(1);
  });

  it('a result with no parts, non-finite numbers saved as strings, and no artifacts still renders', async () => {
    const r = handmadeResult();
    r.parts = [{ ...r.parts[4], checks: [{ name: 'x', passed: false, weight: 1, points: 0, message: 'NaN', expected: 1, received: 'NaN' as never, maxAbsError: 'Infinity' as never }] }];
    const c = cheerio.load(await renderHtml(r, { audience: 'student', now: NOW }));
    const row = c('table.checks tbody tr');
    expect(row.find('.received').text()).toBe('NaN');
    expect(row.find('.errors').text()).toContain('abs ∞');
    r.parts = [];
    const e = cheerio.load(await renderHtml(r, { audience: 'student', now: NOW }));
    expect(e('section.part').length).toBe(0);
    expect(e('h1').text()).toBe(r.assignment.title);
  });
});

describe('instructor templates', () => {
  it('a folder with some of our file names overrides those; the rest fall back to ours', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-templates-'));
    try {
      writeFileSync(path.join(dir, 'part-function.hbs'), '<section class="my-function" data-part="{{id}}"><h2>{{title}}</h2><p class="mine">{{score}} of {{maxScore}}</p></section>');
      writeFileSync(path.join(dir, 'report.css'), '.mine { color: rebeccapurple; }');
      const c = cheerio.load(await renderHtml(handmadeResult(), { audience: 'student', templatesDir: dir, now: NOW }));
      expect(c('section.my-function[data-part="scratch-forward"] .mine').text()).toBe('3 of 3');
      expect(c('style').text()).toContain('rebeccapurple');
      // Other kinds still use ours.
      expect(c('section[data-part="cnn-architecture"] table.model').length).toBe(1);
      // And a template never receives what redaction removed.
      expect(c('section[data-part="hidden-backprop"] .withheld').length).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing templates folder is a clear error', async () => {
    await expect(renderHtml(handmadeResult(), { audience: 'student', templatesDir: '/no/such/templates' })).rejects.toThrow(/templates folder \/no\/such\/templates does not exist/);
  });
});
