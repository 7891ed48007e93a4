/**
 * chart.js set-up, once: the parts the lab's charts use (tree-shaken registration) and a plugin
 * that paints the theme's background, so a PNG export is what the screen shows rather than
 * lines on a transparent canvas.
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

let done = false;

export function registerCharts(): void {
  if (done) return;
  done = true;
  Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, LogarithmicScale, CategoryScale, Filler, Legend, Title, Tooltip);
}
