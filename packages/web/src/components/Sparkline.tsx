/**
 * A tiny traffic line for table rows. Plain SVG: a table of 1,000 models cannot afford a chart
 * instance per row; the full charts on the model pages use ECharts.
 */
export function Sparkline({
  values,
  label,
  width = 120,
  height = 28,
}: {
  values: readonly number[];
  /** What the line shows, for screen readers (the image itself is decorative detail). */
  label: string;
  width?: number;
  height?: number;
}) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const y = (value: number) => height - 2 - (value / max) * (height - 4);
  const points = values.map((value, i) => `${(i * step).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
  const empty = values.every((value) => value === 0);
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={label}>
      {empty ? (
        <line x1="0" x2={width} y1={height - 2} y2={height - 2} className="sparkline-empty" />
      ) : (
        <>
          <polygon points={`0,${height - 1} ${points} ${width},${height - 1}`} className="sparkline-area" />
          <polyline points={points} className="sparkline-line" />
        </>
      )}
    </svg>
  );
}
