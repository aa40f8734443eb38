/**
 * A uPlot time-series chart with readable axes and a hover legend as the
 * tooltip. Marks `dashboard:charts` (Chromium performance marks) once drawn,
 * which is what the time-to-charts figure measures.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  dash?: number[];
}

export function TimeChart(props: { title: string; days: string[]; series: Series[]; formatValue: (v: number) => string; mark?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = props.days.map((d) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 1000);
    const styles = getComputedStyle(document.documentElement);
    const axisColor = styles.getPropertyValue("--muted").trim() || "#555";
    const gridColor = styles.getPropertyValue("--border").trim() || "#ddd";
    const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 260,
        scales: { x: { time: true } },
        axes: [axis, { ...axis, size: 80, values: (_u, ticks) => ticks.map((t) => props.formatValue(t)) }],
        series: [
          { value: (_u, v) => (v == null ? "—" : new Date(v * 1000).toLocaleDateString(undefined, { timeZone: "UTC" })) },
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            ...(s.dash ? { dash: s.dash } : {}),
            value: (_u: uPlot, v: number | null) => (v == null ? "—" : props.formatValue(v)),
          })),
        ],
      },
      [xs, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    if (props.mark && !performance.getEntriesByName(props.mark).length) performance.mark(props.mark);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height: 260 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.days, props.series, props.formatValue, props.mark]);
  return <div ref={box} className="chart" role="img" aria-label={`${props.title}: chart; the same data is in the table below`} />;
}
