/**
 * chart.js set-up, once: the parts the lab's charts use (tree-shaken registration), a plugin
 * that paints the theme's background, so a PNG export is what the screen shows rather than
 * lines on a transparent canvas, and one that says on the canvas what was last drawn.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  type Plugin,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';

export const backgroundPlugin: Plugin = {
  id: 'nnlabBackground',
  beforeDraw(chart, _args, options: { color?: string }) {
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = options.color ?? '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/**
 * After each draw, the canvas says what chart.js drew: the points of its datasets, its size in CSS
 * pixels, its background, each axis's range ("min..max") and its labelled ticks ("0|0.2|0.4").
 * The end-to-end tests compare exports with the drawn points and axes, and wait for these (after
 * a resize or a theme change) instead of waiting for time.
 */
export const drawnPlugin: Plugin = {
  id: 'nnlabDrawn',
  afterDraw(chart) {
    const el = chart.canvas;
    el.dataset.drawnPoints = String(chart.data.datasets.reduce((n, d) => n + d.data.length, 0));
    el.dataset.drawnSize = `${chart.width}x${chart.height}`;
    const bg = (chart.options.plugins as { nnlabBackground?: { color?: string } } | undefined)?.nnlabBackground?.color;
    el.dataset.drawnBackground = bg ?? '#ffffff';
    // the axes' kinds, the plot's own height (a legend drawn in the canvas takes from it) and the highlighted series
    el.dataset.drawnXScale = chart.scales.x?.type ?? '';
    el.dataset.drawnYScale = chart.scales.y?.type ?? '';
    el.dataset.drawnAreaHeight = String(Math.round(chart.chartArea?.height ?? 0));
    el.dataset.drawnHighlight = (chart.options.plugins as { nnlabHighlight?: { id?: string | null } } | undefined)?.nnlabHighlight?.id ?? '';
    for (const [id, scale] of Object.entries(chart.scales)) {
      if (id !== 'x' && id !== 'y') continue;
      const key = id === 'x' ? 'X' : 'Y';
      el.dataset[`drawn${key}`] = `${scale.min}..${scale.max}`;
      el.dataset[`drawn${key}Ticks`] = scale.ticks
        .map((t) => (Array.isArray(t.label) ? t.label.join(' ') : String(t.label ?? '')))
        .filter((l) => l !== '')
        .join('|');
    }
  },
};

let done = false;

export function registerCharts(): void {
  if (done) return;
  done = true;
  Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, LogarithmicScale, CategoryScale, Filler, Legend, Title, Tooltip);
  // With usePointStyle (the lab's legends: a line as each marker), chart.js styles a legend entry
  // by its dataset's first point, which has no dash: a dashed or dotted line's marker came out
  // solid, on the page and in the PNG. Each entry takes its line's dash.
  const labels = Chart.defaults.plugins.legend.labels;
  const generate = labels.generateLabels;
  labels.generateLabels = (chart) =>
    generate(chart).map((item) => {
      const dash = item.datasetIndex === undefined ? undefined : (chart.data.datasets[item.datasetIndex] as { borderDash?: number[] } | undefined)?.borderDash;
      return dash ? { ...item, lineDash: dash } : item;
    });
}
