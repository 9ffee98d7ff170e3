/**
 * Redaction: a pure function of (part visibility, audience, now, due date,
 * published), and a student's HTML that holds nothing of a withheld part —
 * checked on the parsed document (text and every attribute) and, belt and
 * braces, on the raw HTML.
 */
import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { redactPart, redactResult, withheldReason } from '../grader/report/redact.ts';
import { renderHtml } from '../grader/report/html.ts';
import type { PartResult } from '../grader/judge/result.ts';
import { handmadeResult, SECRETS } from './fixtures/results/handmade.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const BEFORE_DUE = new Date('2026-12-01T00:00:00Z');
const AFTER_DUE = new Date('2026-11-01T00:00:00Z');

const hidden = (): PartResult => handmadeResult().parts.find((p) => p.id === 'hidden-backprop')!;
const secretStrings = [String(SECRETS.hiddenLoss), String(SECRETS.hiddenGrad), SECRETS.hiddenIndex, SECRETS.hiddenMessage, SECRETS.hiddenOutput, 'hidden-secret-file.ts', '4242', 'secret-metric', '0.123456', '1.4636529038'];

/** Every piece of text and every attribute value in the document. */
function everything($: cheerio.CheerioAPI): string {
  const parts: string[] = [$.root().text()];
  $('*').each((_, el) => {
    for (const v of Object.values((el as unknown as { attribs?: Record<string, string> }).attribs ?? {})) parts.push(v);
  });
  return parts.join('\n');
}

describe('redactPart (pure)', () => {
  it('instructors see everything, whatever the visibility', () => {
    for (const visibility of ['visible', 'hidden', 'after_due_date', 'after_published'] as const) {
      const p = { ...hidden(), visibility };
      expect(redactPart(p, { audience: 'instructor', now: NOW })).toEqual(p);
    }
  });

  it('students: hidden parts keep only id, title, kind, visibility, points and status', () => {
    const r = redactPart(hidden(), { audience: 'student', now: NOW });
    expect(r).toEqual({
      id: 'hidden-backprop',
      title: 'Backpropagation on data you have not seen',
      kind: 'function',
      visibility: 'hidden',
      score: 0.5,
      maxScore: 2,
      status: 'partial',
      messages: [],
      checks: [],
      durationMs: 0,
      redacted: { reason: expect.stringContaining('only its status and points') },
    });
    expect(JSON.stringify(r)).not.toContain(String(SECRETS.hiddenLoss));
  });

  it('students: visible parts are unchanged (a copy, not the same object)', () => {
    const p = handmadeResult().parts[0];
    const r = redactPart(p, { audience: 'student', now: NOW });
    expect(r).toEqual(p);
    expect(r).not.toBe(p);
  });

  it('after_due_date: withheld before the due date (or with none given), shown from it on', () => {
    const p = { visibility: 'after_due_date' as const };
    expect(withheldReason(p, { audience: 'student', now: NOW })).toMatch(/after the due date/);
    expect(withheldReason(p, { audience: 'student', now: NOW, dueDate: BEFORE_DUE })).toMatch(/2026-12-01 00:00 UTC/);
    expect(withheldReason(p, { audience: 'student', now: NOW, dueDate: AFTER_DUE })).toBeUndefined();
    expect(withheldReason(p, { audience: 'student', now: NOW, dueDate: NOW })).toBeUndefined(); // now >= dueDate
  });

  it('after_published: withheld until published', () => {
    const p = { visibility: 'after_published' as const };
    expect(withheldReason(p, { audience: 'student', now: NOW })).toMatch(/published/);
    expect(withheldReason(p, { audience: 'student', now: NOW, published: false })).toMatch(/published/);
    expect(withheldReason(p, { audience: 'student', now: NOW, published: true })).toBeUndefined();
  });

  it('an unknown visibility is withheld from students', () => {
    expect(withheldReason({ visibility: 'secret-ish' as never }, { audience: 'student', now: NOW })).toBeDefined();
  });

  it('does not change its input', () => {
    const r = handmadeResult();
    const before = JSON.stringify(r);
    redactResult(r, { audience: 'student', now: NOW });
    expect(JSON.stringify(r)).toBe(before);
  });
});

describe("the student's HTML", () => {
  it('holds no value of a hidden, not-yet-due or unpublished part', async () => {
    const html = await renderHtml(handmadeResult(), { audience: 'student', now: NOW, dueDate: BEFORE_DUE, published: false });
    const $ = cheerio.load(html);
    const all = everything($);
    for (const s of [...secretStrings, String(SECRETS.dueValue), String(SECRETS.publishedValue)]) {
      expect(all, s).not.toContain(s);
      expect(html, s).not.toContain(s); // belt and braces: the raw HTML too
    }
    // ...but title, status and points are there.
    for (const [id, badge, points] of [['hidden-backprop', 'partly passed', '0.5 / 2 points'], ['after-due', 'passed', '1 / 1 points'], ['after-published', 'timed out', '0 / 1 points']]) {
      const s = $(`section[data-part="${id}"]`);
      expect(s.find('.badge').text(), id).toBe(badge);
      expect(s.find('.part-head .points').text(), id).toBe(points);
      expect(s.find('.withheld').length, id).toBe(1);
      expect(s.find('table, .messages, .output, figure, svg, img, .location').length, id).toBe(0);
    }
    expect($('section[data-part="hidden-backprop"] .part-title').text()).toContain('Backpropagation on data you have not seen');
    // The visible parts are still complete.
    expect($('section[data-part="cnn-accuracy"] .image-grid img').length).toBe(25);
    expect($('.report-foot').text()).toContain('details of 3 parts are not shown to students');
  }, 30_000);

  it('shows an after_due_date part once the due date has passed, and an after_published part once published', async () => {
    const $ = cheerio.load(await renderHtml(handmadeResult(), { audience: 'student', now: NOW, dueDate: AFTER_DUE, published: true }));
    expect($('section[data-part="after-due"] .withheld').length).toBe(0);
    expect($('section[data-part="after-due"] table.checks').text()).toContain(String(SECRETS.dueValue));
    expect($('section[data-part="after-published"] .messages').text()).toContain(String(SECRETS.publishedValue));
    // still never the hidden one
    expect(everything($)).not.toContain(String(SECRETS.hiddenLoss));
  }, 30_000);

  it('the instructor sees the hidden values', async () => {
    const $ = cheerio.load(await renderHtml(handmadeResult(), { audience: 'instructor', now: NOW }));
    const s = $('section[data-part="hidden-backprop"]');
    expect(s.find('.messages').text()).toContain(SECRETS.hiddenMessage);
    expect(s.find('table.checks').text()).toContain(SECRETS.hiddenIndex);
    expect(s.find('.output pre').text()).toBe(SECRETS.hiddenOutput);
    expect(s.find('.location code').text()).toBe('hidden-secret-file.ts:4242:7');
    expect(s.find('.part-sub .vis').text()).toBe('hidden from students');
  }, 30_000);

  it('real result: the hidden part of the buggy example shows none of its numbers to the student', async () => {
    const { readFileSync } = await import('node:fs');
    const r = JSON.parse(readFileSync(new URL('./fixtures/results/fashion-mnist-hw4-buggy-grad.json', import.meta.url), 'utf8'));
    const hiddenPart = r.parts.find((p: PartResult) => p.visibility === 'hidden') as PartResult;
    const visibleText = JSON.stringify(r.parts.filter((p: PartResult) => p.visibility !== 'hidden'));
    const numbers = new Set<string>();
    // Numbers only the hidden part holds (a max rel error of 1/3 also shows in visible parts, say).
    for (const m of [...hiddenPart.messages, JSON.stringify(hiddenPart.checks)]) for (const n of m.match(/\d+\.\d{6,}/g) ?? []) if (!visibleText.includes(n)) numbers.add(n);
    expect(numbers.size).toBeGreaterThan(2);
    const html = await renderHtml(r, { audience: 'student', now: NOW });
    const all = everything(cheerio.load(html));
    for (const n of numbers) {
      expect(all, n).not.toContain(n);
      expect(html, n).not.toContain(n);
    }
  });
});
