// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { CHART_THEMES } from '../../../src-renderer/src/lib/colors';
import { chartToSvg, niceTicks } from '../../../src-renderer/src/lib/svg';
import { model } from '../helpers/models';

function parse(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.querySelector('parsererror')).toBeNull();
  return doc;
}

describe('renderer/lib/svg', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 0.95).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 3).values.length).toBeGreaterThan(1);
  });

  it('keeps the last x tick’s label inside the picture (it was centred on the plot’s right edge, 16 px from the border)', () => {
    const x = { min: 0, max: 20_000, ticks: [0, 5000, 10_000, 15_000, 20_000].map((value) => ({ value, label: value.toLocaleString('en-US') })) };
    const doc = parse(chartToSvg(model, CHART_THEMES.light, { width: 800, height: 400, x }, undefined));
    const last = [...doc.querySelectorAll('text')].find((t) => t.textContent === '20,000')!;
    // the label's extent as svg.ts estimates text (0.58 em per character at 11 px), centred on x
    const half = ('20,000'.length * 11 * 0.58) / 2;
    expect(Number(last.getAttribute('x')) + half).toBeLessThanOrEqual(800);
    expect(last.getAttribute('text-anchor')).toBe('middle');
  });

  it('writes a well-formed SVG with the title, legend and axis labels as text', () => {
    const svg = chartToSvg(model, CHART_THEMES.light, { width: 800, height: 400 }, { runs: [1, 2] });
    const doc = parse(svg);
    const texts = [...doc.querySelectorAll('text')].map((t) => t.textContent);
    expect(doc.querySelector('title')?.textContent).toBe('Cost per batch');
    expect(texts).toContain('Cost per batch');
    expect(texts).toContain('#1 relu');
    expect(texts).toContain('#2 sigmoid, "slow"');
    expect(texts).not.toContain('#1 relu (raw)'); // faint curves are drawn, not listed
    expect(texts).toContain('batch');
    expect(texts).toContain('cost (squared error of the batch)');
    expect(doc.querySelector('metadata')?.textContent).toBe('{"runs":[1,2]}');
    expect(svg.startsWith('<?xml')).toBe(true);
  });

  it('draws one path per unbroken stretch of each series, faint ones with their opacity', () => {
    const doc = parse(chartToSvg(model, CHART_THEMES.light, { width: 800, height: 400 }));
    const paths = [...doc.querySelectorAll('g.data path')];
    expect(paths).toHaveLength(3);
    expect(paths.some((p) => p.getAttribute('stroke-opacity') === '0.2')).toBe(true);
  });

  it('uses the live chart’s ticks when given', () => {
    const doc = parse(
      chartToSvg(model, CHART_THEMES.dark, {
        width: 600,
        height: 300,
        x: { min: 1, max: 3, ticks: [{ value: 1, label: 'one' }, { value: 3, label: 'three' }] },
        y: { min: 1, max: 10, ticks: [{ value: 1, label: '1' }, { value: 2, label: '' }, { value: 10, label: '10' }] },
      }),
    );
    const texts = [...doc.querySelectorAll('g.grid text')].map((t) => t.textContent);
    expect(texts).toEqual(['one', 'three', '1', '10']);
    expect(doc.querySelector('rect')?.getAttribute('fill')).toBe(CHART_THEMES.dark.background);
  });

  it('escapes text', () => {
    const svg = chartToSvg({ ...model, title: 'a < b & c' }, CHART_THEMES.light, { width: 400, height: 300 });
    expect(svg).toContain('a &lt; b &amp; c');
    parse(svg);
  });

  it('draws bars for a histogram', () => {
    const bars = { ...model, kind: 'bar' as const, y: { label: 'n' }, x: { label: 'w', categories: ['a', 'b', 'c'] }, series: [{ id: 'c', label: 'count', color: '#123456', role: 'bars' as const, legend: false, points: [0, 1, 2].map((x) => ({ x, y: x + 1 })) }] };
    const doc = parse(chartToSvg(bars, CHART_THEMES.light, { width: 400, height: 300 }));
    expect(doc.querySelectorAll('g.data rect')).toHaveLength(3);
  });
});
