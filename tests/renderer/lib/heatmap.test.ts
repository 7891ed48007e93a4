import { describe, expect, it } from 'vitest';
import type { PairedComparison } from '@main/analysis/paired';
import type { StabilityCell } from '@main/analysis/stability';
import { CHART_THEMES } from '../../../src-renderer/src/lib/colors';
import { cellColor, cellLabel, cellText, DIVERGED_COLOR, legendTicks, PENDING_COLOR, scalePosition, stabilityNote, stabilityToSvg, textColorOn, viridis } from '../../../src-renderer/src/lib/heatmap';
import { pairedReading } from '@main/analysis/paired';
import { countOutcomes } from '@main/analysis/outcome';

const cell = (over: Partial<StabilityCell>): StabilityCell => ({ xValue: 0.1, yValue: 0, runIds: [1], outcomes: countOutcomes([]), n: 1, learned: 0, pending: 0, notCounted: 0, medianTestMse: 1, ...over });

describe('renderer/lib/heatmap', () => {
  it('maps cost to viridis on a log scale', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(0.5)).toBe('#26828e');
    expect(viridis(-1)).toBe('#440154');
    const range = { min: 0.1, max: 10 };
    expect(scalePosition(1, range)).toBeCloseTo(0.5, 12);
    expect(scalePosition(0.1, range)).toBe(0);
    expect(scalePosition(5, { min: 5, max: 5 })).toBe(0.5);
    expect(cellColor(cell({ medianTestMse: 10 }), range, 'light')).toBe('#fde725');
    expect(cellColor(cell({ medianTestMse: Infinity }), range, 'dark')).toBe(DIVERGED_COLOR);
    expect(cellColor(cell({ medianTestMse: null, n: 0, pending: 2 }), range, 'dark')).toBe(PENDING_COLOR.dark);
  });

  it('writes black on light fills and white on dark ones', () => {
    expect(textColorOn('#fde725')).toBe('#111111');
    expect(textColorOn('#440154')).toBe('#ffffff');
    expect(textColorOn(DIVERGED_COLOR)).toBe('#ffffff');
    expect(textColorOn(PENDING_COLOR.light)).toBe('#111111');
  });

  it('labels cells and the legend', () => {
    expect(cellText(cell({ medianTestMse: 0.1452, n: 10, learned: 4 }))).toEqual({ main: '0.145', sub: '4/10 learned' });
    expect(cellText(cell({ medianTestMse: null, n: 0, pending: 3 }))).toEqual({ main: '…', sub: '3 pending' });
    expect(legendTicks({ min: 0.01, max: 100 })).toEqual([0.01, 0.1, 1, 10, 100]);
    // 0.1 sits 4 % along 0.0522…32: its label would overlap the end's
    expect(legendTicks({ min: 0.0522, max: 32 })).toEqual([0.0522, 1, 10, 32]);
    expect(legendTicks(null)).toEqual([]);
  });

  it('draws an SVG with a rect and two texts per cell, a dashed hole where there are no runs, and the legend', () => {
    const maps = {
      learnedAt: 0.9,
      measure: 'test MSE' as const,
      xField: 'eps',
      yField: 'learningRate',
      facetFields: [],
      range: { min: 0.1, max: 32 },
      maps: [{ facet: {}, facetLabel: '', xValues: [0.1, 0.5], yValues: [1], cells: [[cell({ medianTestMse: 0.1 }), null]] }],
    };
    const { svg, width, height } = stabilityToSvg(maps, CHART_THEMES.dark, { runs: [] });
    expect(width).toBeGreaterThanOrEqual(420);
    expect(height).toBeGreaterThan(100);
    expect(svg).toContain('fill="#171b22"'); // the dark background
    expect(svg).toContain('>no runs</text>');
    expect(svg).toContain('>0/1 learned</text>');
    expect(svg).toContain('url(#viridis)');
    expect(svg).toContain('>learningRate</text>');
    expect(svg).toContain('>median test MSE</text>');
    // a map of classification runs colours by test error and says so, in the SVG, its note and a cell's label
    const k = { ...maps, measure: 'test error' as const };
    const kSvg = stabilityToSvg(k, CHART_THEMES.dark, { runs: [] }).svg;
    expect(kSvg).toContain('>median test error</text>');
    expect(kSvg).toContain('colour: median test error (1 − accuracy) over the seeds (log scale)');
    expect(kSvg).toContain('learned/n (skill at least the learned-at threshold)');
    expect(kSvg).not.toMatch(/MSE|r²/);
    expect(stabilityNote(k)).toBe('colour: median test error (1 − accuracy) over the seeds (log scale); written in each cell: the median and learned/n (skill at least the learned-at threshold)');
    expect(cellLabel(k, k.maps[0], k.maps[0].cells[0][0]!)).toMatch(/^learningRate 0, eps 0\.1: median test error 0\.1, /);
  });
});

describe('analysis/paired reading (the panel’s and the page reading’s sentence)', () => {
  const c = (low: number, high: number): PairedComparison => ({ pairs: 20, measure: 'test MSE', unpairedA: 0, unpairedB: 0, differences: [], medianDifference: (low + high) / 2, ci: { low, high }, winsA: 15, winsB: 5, ties: 0, winRateA: 0.75 });
  it('says which configuration ends lower only when the interval excludes 0', () => {
    expect(pairedReading('relu', 'sigmoid', c(-2.4, -1.1))).toMatch(/^With the same seeds, relu ends with the lower test MSE.*relu ends with the lower test MSE in 15 of 20 pairs, sigmoid in 5\.$/);
    expect(pairedReading('relu', 'sigmoid', c(0.5, 1))).toMatch(/sigmoid ends with the lower test MSE/);
    expect(pairedReading('relu', 'sigmoid', c(-1, 1))).toMatch(/includes 0: over these 20 pairs neither configuration clearly ends lower/);
  });
});
