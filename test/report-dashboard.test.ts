/**
 * The class dashboard and the CSV gradebook.
 */
import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { csvField, gradebookCsv } from '../grader/report/csv.ts';
import { commonFailures, renderDashboardHtml } from '../grader/report/dashboard.ts';
import { normaliseMessage } from '../grader/report/format.ts';
import type { GradeResult } from '../grader/judge/result.ts';
import { handmadeResult } from './fixtures/results/handmade.ts';

const dir = path.join(import.meta.dirname, 'fixtures/results');
const batch: GradeResult[] = readdirSync(dir)
  .filter((f) => f.startsWith('fashion-mnist-hw4-') && f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
const names = batch.map((r) => path.basename(r.submission.dir));

/** A small RFC 4180 parser, to check the CSV reads back as written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') q = false;
      else field += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += ch;
  }
  return rows;
}

describe('CSV gradebook', () => {
  it('one row per submission: submission, score, maxScore, then one column per part id', () => {
    const csv = gradebookCsv(batch);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['submission', 'score', 'maxScore', ...batch[0].parts.map((p) => p.id)]);
    expect(rows[0].slice(3, 7)).toEqual(['scratch-forward', 'scratch-backprop', 'scratch-gradcheck', 'scratch-backprop-hidden']);
    expect(rows.length).toBe(batch.length + 1);
    const correct = rows.find((r) => r[0] === 'correct')!;
    expect(correct.slice(0, 7)).toEqual(['correct', '20', '20', '3', '5', '2', '2']);
    const buggy = rows.find((r) => r[0] === 'buggy-grad')!;
    expect(buggy.slice(1, 7)).toEqual(['15.6', '20', '3', '3', '0.4', '1.2']);
    const relu = rows.find((r) => r[0] === 'relu-hidden')!;
    expect(relu[1]).toBe('10.35');
  });

  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(0.1 + 0.2)).toBe('0.3');
    expect(csvField(NaN)).toBe('');
    const r = handmadeResult();
    r.submission.dir = '/x/Smith, "Jo"';
    const rows = parseCsv(gradebookCsv([r]));
    expect(rows[1][0]).toBe('Smith, "Jo"');
    // a part not checked (graded by hand) is blank, not 0
    expect(rows[1][rows[0].indexOf('notebook-manual')]).toBe('');
    expect(rows[1][rows[0].indexOf('cnn-accuracy')]).toBe('3.25');
  });

  it('parts missing from some results leave their cells blank', () => {
    const a = handmadeResult();
    const b = handmadeResult();
    b.parts = b.parts.filter((p) => p.id !== 'conv-answers');
    const rows = parseCsv(gradebookCsv([a, b], { names: ['a', 'b'] }));
    const col = rows[0].indexOf('conv-answers');
    expect(rows[1][col]).toBe('1');
    expect(rows[2][col]).toBe('');
  });
});

describe('failure grouping', () => {
  it('numbers are normalised so the same mistake groups together', () => {
    expect(normaliseMessage('L: value differs: expected 0.1332476222, received 0.2664952445; rtol=1.0000e-7')).toBe('L: value differs: expected #, received #; rtol=#');
    expect(normaliseMessage('shapes do not align: (1000, 2) x (3, 2) (at submission.ts:18:29)')).toBe('shapes do not align: (#) x (#) (at submission.ts:#:#)');
    expect(normaliseMessage('gradients.W1 and W2 at [2, 1]')).toBe('gradients.W1 and W2 at [#]');
  });

  it('counts each submission once per group, most common first', () => {
    const a = handmadeResult(), b = handmadeResult(), c = handmadeResult();
    const setMsgs = (r: GradeResult, msgs: string[]) => { r.parts[3].messages = msgs; };
    setMsgs(a, ['d loss / d W1: max relative error 0.3333 (must be ≤ 1e-6)', 'loss: value differs: expected 0.13, received 0.26']);
    setMsgs(b, ['d loss / d W1: max relative error 0.5 (must be ≤ 1e-6)']);
    setMsgs(c, ['d loss / d W1: max relative error 0.25 (must be ≤ 1e-6)', 'd loss / d W1: max relative error 0.2 (must be ≤ 1e-6)']);
    const g = commonFailures([a, b, c], 'scratch-gradcheck', ['a', 'b', 'c']);
    expect(g[0]).toMatchObject({ pattern: 'd loss / d W1: max relative error # (must be ≤ #)', count: 3, submissions: ['a', 'b', 'c'] });
    expect(g[1]).toMatchObject({ count: 1, submissions: ['a'] });
  });
});

describe('dashboard', () => {
  it('shows distributions, a student table linking to the reports, and common failures per part', async () => {
    const links = names.map((n) => `${n}.html`);
    const html = await renderDashboardHtml(batch, { reportLinks: links, gradebookHref: 'gradebook.csv', now: new Date('2026-11-21T12:00:00Z') });
    const $ = cheerio.load(html);
    expect($('h1').text()).toBe(batch[0].assignment.title);
    expect($('.meta .count').text()).toBe(String(batch.length));
    expect($('a.gradebook').attr('href')).toBe('gradebook.csv');
    // distributions: overall and per part, as Vega-Lite SVG
    expect($('section.distribution svg').length).toBe(2);
    const partPanels = $('section.distribution svg').eq(1).find('text').map((_, e) => $(e).text()).get();
    expect(partPanels).toEqual(expect.arrayContaining(['scratch-forward', 'scratch-gradcheck']));
    // students: one row each, relative links
    const rows = $('table.students tbody tr');
    expect(rows.length).toBe(batch.length);
    const hrefs = $('table.students a.report-link').map((_, e) => $(e).attr('href')).get();
    expect(hrefs.sort()).toEqual([...links].sort());
    for (const h of hrefs) expect(h).not.toMatch(/^(\/|[a-z]+:)/);
    const correct = rows.filter((_, e) => $(e).find('a').text() === 'correct');
    expect(correct.find('td').eq(1).text()).toContain('20');
    expect(correct.find('td.cell-full').length).toBe(8);
    // failures: the crash groups under one pattern for the forward part
    const fwd = $('#failures-scratch-forward');
    expect(fwd.find('table.failures tbody tr').first().find('.pattern').text()).toBe('forwardPropagation(…) failed: shapes do not align: (#) x (#) (at scratch.ts:#:#)');
    expect(fwd.find('table.failures tbody tr').first().find('.count').text()).toMatch(/^1 /);
    const bp = $('#failures-scratch-backprop table.failures tbody tr');
    expect(bp.length).toBeGreaterThan(1);
    const counts = bp.map((_, e) => Number($(e).find('.count').text().split(' ')[0])).get();
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    // parts table
    expect($('table.parts-table tbody tr').length).toBe(8);
    expect($('script').length).toBe(0);
  }, 30_000);

  it('works for results of a hand-made CNN assignment (other part kinds, skipped parts)', async () => {
    const rs = [handmadeResult(), handmadeResult()];
    rs[1].submission.dir = '/home/student/hw5/bob';
    rs[1].score = 20;
    const $ = cheerio.load(await renderDashboardHtml(rs));
    expect($('table.students tbody tr').length).toBe(2);
    expect($('table.students tbody tr').first().find('a').length).toBe(0); // no links given
    expect($('#failures-cnn-accuracy .pattern').first().text()).toContain('test accuracy #% is below #%');
  });
});
