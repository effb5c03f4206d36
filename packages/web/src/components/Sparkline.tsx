/**
 * A tiny traffic line for table rows. Plain SVG: a table of 1,000 models cannot afford a chart
 * instance per row; the full charts on the model pages use ECharts.
 *
 * `values` are whole buckets. `partial` is the bucket still filling: its point sits one step to
 * the right, reached by a dashed segment and drawn hollow, so a provisional value never reads
 * as a measured one; with `partial.value` null (too early to say) the line simply stops.
 */
export function Sparkline({
  values,
  partial,
  label,
  width = 120,
  height = 28,
}: {
  values: readonly number[];
  partial?: { value: number | null } | null;
  /** What the line shows, for screen readers (the image itself is decorative detail). */
  label: string;
  width?: number;
  height?: number;
}) {
  const projected = partial?.value ?? null;
  const slots = values.length + (partial ? 1 : 0);
  const max = Math.max(1, ...values, projected ?? 0);
  const step = slots > 1 ? width / (slots - 1) : width;
  const y = (value: number) => height - 2 - (value / max) * (height - 4);
  const point = (value: number, i: number) => `${(i * step).toFixed(1)},${y(value).toFixed(1)}`;
  const points = values.map(point).join(' ');
  const lastX = ((values.length - 1) * step).toFixed(1);
  const empty = values.every((value) => value === 0) && !projected;
  const partialPoint = projected === null ? null : { x: values.length * step, y: y(projected) };
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={label}>
      {empty ? (
        <line x1="0" x2={width} y1={height - 2} y2={height - 2} className="sparkline-empty" />
      ) : (
        <>
          {values.length > 0 && (
            <>
              <polygon
                points={`0,${height - 1} ${points} ${lastX},${height - 1}`}
                className="sparkline-area"
              />
              <polyline points={points} className="sparkline-line" />
            </>
          )}
          {partialPoint && (
            <g data-testid="sparkline-partial">
              {values.length > 0 && (
                <line
                  x1={lastX}
                  y1={y(values.at(-1)!).toFixed(1)}
                  x2={partialPoint.x.toFixed(1)}
                  y2={partialPoint.y.toFixed(1)}
                  className="sparkline-partial"
                />
              )}
              <circle
                cx={(partialPoint.x - 2).toFixed(1)}
                cy={partialPoint.y.toFixed(1)}
                r="2"
                className="sparkline-partial-point"
              />
            </g>
          )}
        </>
      )}
    </svg>
  );
}
