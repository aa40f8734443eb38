/** A bar chart drawn with pdf-lib's primitives: one bar per value, the largest value on the axis, every few labels below. */
import { type PDFFont, type PDFPage, rgb } from "pdf-lib";

export interface BarChart {
  x: number;
  /** The bottom of the plot area. */
  y: number;
  width: number;
  height: number;
  title: string;
  bars: { label: string; value: number }[];
}

const BAR = rgb(0.15, 0.39, 0.92);
const AXIS = rgb(0.6, 0.62, 0.66);
const LABEL = rgb(0.35, 0.37, 0.42);

export function drawBarChart(page: PDFPage, font: PDFFont, chart: BarChart): void {
  const { x, y, width, height, bars } = chart;
  page.drawText(chart.title, { x, y: y + height + 4, size: 9, font, color: LABEL });
  const max = Math.max(0, ...bars.map((b) => b.value));
  page.drawLine({ start: { x, y }, end: { x: x + width, y }, thickness: 0.6, color: AXIS });
  if (bars.length === 0 || max <= 0) return;
  const slot = width / bars.length;
  const gap = Math.min(4, slot * 0.2);
  const every = Math.max(1, Math.ceil(bars.length / 10));
  bars.forEach((b, i) => {
    const h = Math.max(0, (b.value / max) * (height - 14));
    if (h > 0) page.drawRectangle({ x: x + i * slot + gap / 2, y, width: Math.max(0.5, slot - gap), height: h, color: BAR });
    if (i % every === 0) page.drawText(b.label.slice(0, 10), { x: x + i * slot, y: y - 9, size: 6, font, color: LABEL });
  });
}
