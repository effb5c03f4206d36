/**
 * Features × windows, each cell coloured by the drift score relative to its threshold (a
 * sequential scale that stays readable with colour-vision deficiencies) and marked with a
 * shape when it breaches. Every cell links to the feature page at that window; the feature
 * names are the keyboard stops, and each cell says what it holds.
 */

import { Link } from '@tanstack/react-router';
import type { DriftMap } from '@vigil/sdk';
import { formatNumber, formatTime, type RangeSearch } from './range';

/** Light to dark blue below the threshold, orange to vermilion above it. */
function cellColor(ratio: number | null): string {
  if (ratio === null) return 'transparent';
  if (ratio >= 2) return '#d55e00';
  if (ratio >= 1) return '#e69f00';
  if (ratio >= 0.75) return '#2b7bba';
  if (ratio >= 0.5) return '#6baed6';
  if (ratio >= 0.25) return '#a6cde6';
  return '#deebf7';
}

export function DriftHeatMap({ model, map, search }: { model: string; map: DriftMap; search: RangeSearch }) {
  if (map.features.length === 0) {
    return (
      <p className="muted">
        No drift results in this range yet. Drift is measured per window once the model has reference data and
        traffic; pick a longer range or wait for the current window to close.
      </p>
    );
  }
  const step = map.step_seconds * 1000;
  return (
    <div className="heatmap-scroll">
      <table className="heatmap" aria-describedby="heatmap-legend">
        <caption className="visually-hidden">
          Drift score relative to its threshold, by feature (rows) and window (columns)
        </caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            {map.buckets.map((b, i) => (
              <th key={b} scope="col" className="heatmap-time">
                {i % Math.max(1, Math.ceil(map.buckets.length / 8)) === 0 ? formatTime(b) : ''}
                <span className="visually-hidden">{formatTime(b)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {map.features.map((row) => (
            <tr key={row.feature}>
              <th scope="row">
                <Link
                  to="/models/$model/features/$feature"
                  params={{ model, feature: row.feature }}
                  search={search as never}
                  className="heatmap-feature"
                >
                  {row.feature}
                </Link>
                <span className="muted heatmap-max"> {formatNumber(row.max_ratio, 2)}×</span>
              </th>
              {map.buckets.map((bucket, i) => {
                const ratio = row.ratios[i] ?? null;
                const status = row.statuses[i] ?? null;
                const label =
                  ratio === null
                    ? `${row.feature}, ${formatTime(bucket)}: no result`
                    : `${row.feature}, ${formatTime(bucket)}: ${row.metric} ${formatNumber(row.scores[i])}, threshold ${formatNumber(row.thresholds[i])} (${formatNumber(ratio, 2)}×), ${status}`;
                return (
                  <td key={bucket} style={{ background: cellColor(ratio) }} className="heatmap-cell">
                    {ratio !== null && (
                      <Link
                        to="/models/$model/features/$feature"
                        params={{ model, feature: row.feature }}
                        search={
                          {
                            ...search,
                            current_from: bucket,
                            current_to: new Date(Date.parse(bucket) + step).toISOString(),
                          } as never
                        }
                        tabIndex={-1}
                        aria-label={label}
                        title={label}
                        data-testid="heatmap-cell"
                        data-status={status ?? ''}
                      >
                        {status === 'alert' ? '▲' : status === 'warning' ? '△' : ''}
                      </Link>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p id="heatmap-legend" className="heatmap-legend muted">
        Colour: score ÷ threshold —{' '}
        {[0.1, 0.3, 0.6, 0.9, 1.5, 2.5].map((r) => (
          <span key={r} className="legend-swatch" style={{ background: cellColor(r) }} aria-hidden="true" />
        ))}{' '}
        from well below (light blue) to over the threshold (orange, ▲ alert, △ warning). Select a feature or a
        cell to see its distributions.
      </p>
    </div>
  );
}
