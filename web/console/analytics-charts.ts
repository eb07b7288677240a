/**
 * Plain SVG charts drawn with the DOM (no chart library): a line chart with several series, a
 * horizontal bar chart and a column chart. Text goes in through textContent; every mark carries a
 * <title> with its exact value, and the chart an aria-label.
 */
const NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function titled<T extends SVGElement>(node: T, title: string): T {
  node.append(svg('title', {}, title));
  return node;
}

/** An axis step for `ticks` grid lines over 0..max: 1, 2 or 5 × 10ⁿ, at least 1 (the charts count things). */
export function niceStep(max: number, ticks = 4): number {
  const raw = Math.max(1, max / ticks);
  const pow = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * pow).find((c) => c >= raw) as number) || raw;
}

function frame(id: string, title: string, width: number, height: number): SVGSVGElement {
  const root = svg('svg', { id, class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, preserveAspectRatio: 'xMidYMid meet' });
  root.append(svg('text', { x: 0, y: 14, class: 'chart__title' }, title));
  return root;
}

export interface Series {
  name: string;
  /** CSS modifier: `series--<key>`. */
  key: string;
  values: number[];
}

/** One line per series over `labels` (days), y axis from 0 with 4 grid lines, a legend on top. */
export function lineChart(id: string, title: string, labels: readonly string[], series: readonly Series[], width = 1100, height = 280): SVGSVGElement {
  const root = frame(id, title, width, height);
  const m = { left: 40, right: 24, top: 44, bottom: 28 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const step = niceStep(Math.max(0, ...series.flatMap((s) => s.values)));
  const top = step * 4;
  const x = (i: number) => m.left + (labels.length > 1 ? (i * w) / (labels.length - 1) : w / 2);
  const y = (v: number) => m.top + h - (v / top) * h;
  for (let g = 0; g <= 4; g++) {
    const v = (top * g) / 4;
    root.append(
      svg('line', { x1: m.left, x2: m.left + w, y1: y(v), y2: y(v), class: 'chart__grid' }),
      svg('text', { x: m.left - 6, y: y(v) + 4, class: 'chart__axis', 'text-anchor': 'end' }, fmt(v)),
    );
  }
  const every = Math.max(1, Math.ceil(labels.length / 10));
  labels.forEach((label, i) => {
    const anchor = labels.length > 1 && i === labels.length - 1 ? 'end' : i === 0 && labels.length > 1 ? 'start' : 'middle';
    if (i % every === 0 || i === labels.length - 1) root.append(svg('text', { x: x(i), y: height - 8, class: 'chart__axis', 'text-anchor': anchor }, label.slice(5)));
  });
  series.forEach((s, n) => {
    const d = s.values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    root.append(svg('path', { d, class: `chart__line series--${s.key}`, fill: 'none' }));
    for (const [i, v] of s.values.entries()) {
      root.append(titled(svg('circle', { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 3, class: `chart__dot series--${s.key}` }), `${labels[i]} ${s.name}: ${v}`));
    }
    const lx = m.left + n * 150;
    root.append(svg('rect', { x: lx, y: 24, width: 12, height: 4, class: `chart__swatch series--${s.key}` }), svg('text', { x: lx + 16, y: 30, class: 'chart__legend' }, s.name));
  });
  return root;
}

export interface Bar {
  label: string;
  value: number;
  /** Shown after the bar instead of the value. */
  text?: string;
}

/** Horizontal bars, one row per item, scaled to the largest. */
export function barChart(id: string, title: string, bars: readonly Bar[], width = 360): SVGSVGElement {
  const row = 26;
  const height = 28 + bars.length * row + 8;
  const root = frame(id, title, width, height);
  const labelW = 130;
  const w = width - labelW - 70;
  const top = Math.max(1, ...bars.map((b) => b.value));
  bars.forEach((b, i) => {
    const yy = 28 + i * row;
    root.append(
      svg('text', { x: labelW - 6, y: yy + 15, class: 'chart__label', 'text-anchor': 'end' }, b.label),
      titled(svg('rect', { x: labelW, y: yy + 3, width: ((b.value / top) * w).toFixed(1), height: row - 8, rx: 3, class: 'chart__bar' }), `${b.label}: ${b.text ?? b.value}`),
      svg('text', { x: labelW + (b.value / top) * w + 6, y: yy + 15, class: 'chart__value' }, b.text ?? fmt(b.value)),
    );
  });
  return root;
}

/** Vertical columns (e.g. the 1–5 CSAT ratings), labels under, values over. */
export function columnChart(id: string, title: string, bars: readonly Bar[], width = 360, height = 200): SVGSVGElement {
  const root = frame(id, title, width, height);
  const m = { left: 16, right: 16, top: 36, bottom: 24 };
  const slot = (width - m.left - m.right) / Math.max(1, bars.length);
  const h = height - m.top - m.bottom;
  const top = Math.max(1, ...bars.map((b) => b.value));
  bars.forEach((b, i) => {
    const bh = (b.value / top) * h;
    const cx = m.left + slot * i + slot / 2;
    root.append(
      titled(
        svg('rect', { x: (cx - slot * 0.3).toFixed(1), y: (m.top + h - bh).toFixed(1), width: (slot * 0.6).toFixed(1), height: bh.toFixed(1), rx: 3, class: 'chart__bar' }),
        `${b.label}: ${b.value}`,
      ),
      svg('text', { x: cx, y: m.top + h - bh - 4, class: 'chart__value', 'text-anchor': 'middle' }, b.text ?? fmt(b.value)),
      svg('text', { x: cx, y: height - 6, class: 'chart__axis', 'text-anchor': 'middle' }, b.label),
    );
  });
  return root;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
