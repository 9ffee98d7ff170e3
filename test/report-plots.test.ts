/**
 * Plots: Vega-Lite specs rendered to static SVG on the server; PNG data URIs
 * for images.
 */
import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { PNG } from 'pngjs';
import { bandsSpec, confusionSpec, gradcheckSpec, historySpec, partDistributionSpec, perClassSpec, prefixIds, renderSvg, scoreDistributionSpec } from '../grader/report/plots.ts';
import { pngDataUri } from '../grader/report/images.ts';
import { accuracyArtifacts } from './fixtures/results/handmade.ts';
import type { Artifact } from '../grader/judge/result.ts';

const svgTexts = (svg: string) => {
  const $ = cheerio.load(svg, { xml: true });
  return $('text').map((_, e) => $(e).text()).get();
};
const byType = <T extends Artifact['type']>(t: T) => accuracyArtifacts().find((a) => a.type === t) as Extract<Artifact, { type: T }>;

describe('Vega-Lite → SVG', () => {
  it('every chart kind renders to a standalone SVG with marks and labels', async () => {
    const charts = {
      history: historySpec(byType('history')),
      confusion: confusionSpec(byType('confusion')),
      perClass: perClassSpec(byType('perClass')),
      bands: bandsSpec(byType('bands')),
      gradcheck: gradcheckSpec({ type: 'gradcheck', title: 'g', threshold: 1e-6, rows: [{ param: 'W1', relError: 2e-3, elements: 6 }, { param: 'b1', relError: 1e-9, elements: 3 }] }),
      scores: scoreDistributionSpec([1, 2, 2, 7.5, 12, 12], 12),
      parts: partDistributionSpec([{ part: 'a', score: 1, maxScore: 2 }, { part: 'b', score: 3, maxScore: 3 }], ['a', 'b']),
    };
    for (const [name, spec] of Object.entries(charts)) {
      const svg = await renderSvg(spec, `${name}-`);
      expect(svg.startsWith('<svg '), name).toBe(true);
      expect(svg, name).toContain('class="chart"');
      const $ = cheerio.load(svg, { xml: true });
      expect($('svg').attr('viewBox'), name).toMatch(/^0 0 \d+/);
      expect($('path, rect, line').length, name).toBeGreaterThan(2);
      expect(svg, name).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    }
  });

  it('gradcheck bars are on a log scale with decade ticks, zero and infinite errors still drawn', async () => {
    const svg = await renderSvg(gradcheckSpec({ type: 'gradcheck', title: 'g', threshold: 1e-6, rows: [{ param: 'W1', relError: 0.3, elements: 6 }, { param: 'b1', relError: 0, elements: 3 }, { param: 'W2', relError: Infinity, elements: 1 }] }), 'g-');
    const texts = svgTexts(svg);
    expect(texts).toEqual(expect.arrayContaining(['1e-6', '1e-4', '1e-2', 'W1', 'b1', 'W2', '0', '∞']));
    expect(texts.join(' ')).toContain('log scale');
  });

  it('confusion matrix: every class on both axes, the counts in the cells', async () => {
    const c = byType('confusion');
    const texts = svgTexts(await renderSvg(confusionSpec(c), 'c-'));
    for (const l of c.labels) expect(texts.filter((t) => t === l).length, l).toBe(2);
    expect(texts).toContain(String(c.matrix[6][0]));
    expect(texts).toContain('true class');
    expect(texts).toContain('predicted');
  });

  it('history: one panel per metric, train and validation', async () => {
    const texts = svgTexts(await renderSvg(historySpec(byType('history')), 'h-'));
    expect(texts).toEqual(expect.arrayContaining(['loss', 'accuracy', 'train', 'validation']));
  });

  it('element ids are prefixed so several charts can share one page', () => {
    const s = prefixIds('<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/></svg>', 'p1a2-');
    expect(s).toBe('<svg><clipPath id="p1a2-clip1"/><g clip-path="url(#p1a2-clip1)"/><use href="#p1a2-clip1"/></svg>');
  });

  it('text from a submission is escaped in the SVG', async () => {
    const svg = await renderSvg(gradcheckSpec({ type: 'gradcheck', title: 'g', threshold: 1e-6, rows: [{ param: '<script>x</script>&', relError: 1, elements: 1 }] }), 'x-');
    expect(svg).not.toContain('<script>');
    expect(svgTexts(svg)).toContain('<script>x</script>&');
  });
});

describe('PNG data URIs', () => {
  it('grey and colour images round-trip through pngjs, scaled by whole pixels', () => {
    const grey = Uint8Array.from({ length: 6 }, (_, i) => i * 40);
    const g = pngDataUri(grey, 3, 2, 1, 2);
    expect(g.src.startsWith('data:image/png;base64,')).toBe(true);
    const gp = PNG.sync.read(Buffer.from(g.src.split(',')[1], 'base64'));
    expect([gp.width, gp.height]).toEqual([6, 4]);
    expect(gp.data[(1 * 6 + 3) * 4]).toBe(grey[1]); // (y=1,x=3) comes from (0,1)
    expect(gp.data[(3 * 6 + 5) * 4]).toBe(grey[5]);

    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0]);
    const c = PNG.sync.read(Buffer.from(pngDataUri(rgb, 2, 1, 3).src.split(',')[1], 'base64'));
    expect(Array.from(c.data.subarray(0, 8))).toEqual([255, 0, 0, 255, 0, 255, 0, 255]);
  });

  it('too few bytes for the stated size is an error, not a garbled image', () => {
    expect(() => pngDataUri(new Uint8Array(10), 28, 28, 1)).toThrow(/needs 784/);
  });
});
