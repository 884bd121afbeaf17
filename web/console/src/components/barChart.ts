/**
 * A small bar chart as inline SVG (no chart library; the CSP allows no inline style, so sizes
 * are attributes and colours come from console.css). One bar per value, oldest left; each bar
 * has its value in a `<title>` (shown on hover), and the whole chart a text alternative.
 */

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 120;
const GAP = 2;

export interface BarChartOptions {
  /** The values, oldest first. */
  values: number[];
  /** A bar's hover text: its time and value in words. */
  describe(index: number): string;
  /** The chart in words for screen readers (its latest value, its peak). */
  summary: string;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

export function barChart(options: BarChartOptions): SVGSVGElement {
  const chart = svg('svg', {
    class: 'bar-chart',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': options.summary,
  });
  const peak = Math.max(0, ...options.values);
  const slot = WIDTH / Math.max(1, options.values.length);
  chart.appendChild(svg('line', { class: 'baseline', x1: 0, x2: WIDTH, y1: HEIGHT - 0.5, y2: HEIGHT - 0.5 }));
  options.values.forEach((value, i) => {
    // A bar is at least a pixel high when its value is not zero, so a small count still shows.
    const height = value <= 0 || peak === 0 ? 0 : Math.max(1.5, (value / peak) * (HEIGHT - 4));
    const bar = svg('rect', {
      class: i === options.values.length - 1 ? 'bar current' : 'bar',
      x: i * slot + GAP / 2,
      y: HEIGHT - height,
      width: Math.max(1, slot - GAP),
      height,
    });
    const title = svg('title', {});
    title.textContent = options.describe(i);
    bar.appendChild(title);
    chart.appendChild(bar);
  });
  return chart;
}
