/**
 * The table of every model. Rows are virtualized against the window's scroll, so 1,000 models
 * cost the DOM of the ~30 on screen; the table keeps its semantics (spacer rows above and below).
 */

import { useWindowVirtualizer } from '@tanstack/react-virtual';
import type { ModelOverview, Overview } from '@vigil/sdk';
import { useLayoutEffect, useRef, useState } from 'react';
import { ModelLink } from '../../components/ModelLink';
import { Sparkline } from '../../components/Sparkline';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatDateTime, formatRelative } from '../../format';
import { defaultDirection, type SortDirection, type SortKey, trafficTotal } from './filter';
import { splitTraffic, type TrafficSeries } from './traffic';

const ROW_HEIGHT = 53;

interface Column {
  key: SortKey | null;
  label: string;
  className?: string;
}

const COLUMNS: Column[] = [
  { key: 'status', label: 'Health', className: 'col-status' },
  { key: 'name', label: 'Model', className: 'col-model' },
  { key: 'traffic', label: 'Traffic', className: 'col-traffic' },
  { key: 'alerts', label: 'Open alerts', className: 'col-alerts numeric' },
  { key: 'last_prediction', label: 'Last prediction', className: 'col-last' },
  { key: null, label: 'Version', className: 'col-version' },
];

function SortHeader({
  column,
  sort,
  dir,
  onSort,
}: {
  column: Column;
  sort: SortKey;
  dir: SortDirection;
  onSort: (key: SortKey, dir: SortDirection) => void;
}) {
  if (!column.key) {
    return (
      <th scope="col" className={column.className}>
        {column.label}
      </th>
    );
  }
  const key = column.key;
  const active = sort === key;
  const next: SortDirection = active ? (dir === 'asc' ? 'desc' : 'asc') : defaultDirection(key);
  return (
    <th
      scope="col"
      className={column.className}
      aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <button type="button" className="sort-button" onClick={() => onSort(key, next)}>
        {column.label}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

/** When the overview was made and the buckets it counted, to tell whole buckets from the current one. */
export interface TrafficClock {
  range: Overview['traffic_range'];
  generatedAt: string;
}

function trafficLabel(
  model: ModelOverview,
  rangeLabel: string,
  series: TrafficSeries,
  bucketSeconds: number,
) {
  const bucket = bucketSeconds === 3600 ? 'hour' : `${bucketSeconds / 3600}-hour bucket`;
  const peak = Math.max(0, ...series.complete);
  let label = `${formatCount(trafficTotal(model))} predictions in the ${rangeLabel}, peak ${formatCount(peak)} per ${bucket}`;
  const { partial } = series;
  if (partial) {
    const minutes = Math.round((partial.elapsedFraction * bucketSeconds) / 60);
    label += `; the current ${bucket} so far ${formatCount(partial.count)} in ${minutes} min`;
    if (partial.projected !== null) {
      label += ` (about ${formatCount(Math.round(partial.projected))} per ${bucket} at that rate, drawn dashed)`;
    }
  }
  return label;
}

function Row({
  model,
  rangeLabel,
  clock,
}: {
  model: ModelOverview;
  rangeLabel: string;
  clock: TrafficClock;
}) {
  const total = trafficTotal(model);
  const series = splitTraffic(model.traffic, clock.range, clock.generatedAt);
  return (
    <tr data-testid="model-row" style={{ height: ROW_HEIGHT }}>
      <td className="col-status">
        <StatusBadge status={model.status} />
      </td>
      <td className="col-model">
        <div className="model-name">
          <ModelLink model={model.model} />
        </div>
        {model.alerting_monitors.length > 0 ? (
          <div className="model-sub">Alerting: {model.alerting_monitors.join(', ')}</div>
        ) : (
          model.description && <div className="model-sub">{model.description}</div>
        )}
      </td>
      <td className="col-traffic">
        <div className="traffic-cell">
          <Sparkline
            values={series.complete}
            partial={series.partial && { value: series.partial.projected }}
            label={trafficLabel(model, rangeLabel, series, clock.range.bucket_seconds)}
          />
          <span className="traffic-total">{formatCount(total)}</span>
        </div>
      </td>
      <td className="col-alerts numeric">
        {model.open_alerts > 0 ? (
          <span
            className="alert-count"
            title={`${model.unacknowledged_alerts} not acknowledged${model.inhibited_alerts > 0 ? `; ${model.inhibited_alerts} more inhibited (not notified)` : ''}`}
          >
            {model.open_alerts}
            {model.unacknowledged_alerts > 0 && (
              <span className="unacked"> ({model.unacknowledged_alerts} new)</span>
            )}
          </span>
        ) : (
          <span
            className="muted"
            title={
              model.inhibited_alerts > 0 ? `${model.inhibited_alerts} inhibited (not notified)` : undefined
            }
          >
            0
          </span>
        )}
      </td>
      <td className="col-last">
        <time
          dateTime={model.last_prediction_at ?? undefined}
          title={formatDateTime(model.last_prediction_at)}
        >
          {formatRelative(model.last_prediction_at)}
        </time>
      </td>
      <td className="col-version">{model.current_version ?? <span className="muted">—</span>}</td>
    </tr>
  );
}

export function OverviewTable({
  models,
  sort,
  dir,
  onSort,
  rangeLabel,
  clock,
}: {
  models: ModelOverview[];
  sort: SortKey;
  dir: SortDirection;
  onSort: (key: SortKey, dir: SortDirection) => void;
  rangeLabel: string;
  clock: TrafficClock;
}) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    setScrollMargin((bodyRef.current?.getBoundingClientRect().top ?? 0) + window.scrollY);
  }, []);
  const virtualizer = useWindowVirtualizer({
    count: models.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin,
  });
  const items = virtualizer.getVirtualItems();
  const top = items.length > 0 ? items[0]!.start - scrollMargin : 0;
  const bottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)!.end - scrollMargin) : 0;

  return (
    <table className="table overview-table" aria-rowcount={models.length + 1}>
      <caption className="visually-hidden">
        Every model with its health, traffic, open alerts, last prediction and version. {models.length} shown.
      </caption>
      <thead>
        <tr>
          {COLUMNS.map((column) => (
            <SortHeader key={column.label} column={column} sort={sort} dir={dir} onSort={onSort} />
          ))}
        </tr>
      </thead>
      <tbody ref={bodyRef}>
        {top > 0 && (
          <tr className="spacer">
            <td colSpan={COLUMNS.length} style={{ height: top }} />
          </tr>
        )}
        {items.map((item) => (
          <Row
            key={models[item.index]!.model}
            model={models[item.index]!}
            rangeLabel={rangeLabel}
            clock={clock}
          />
        ))}
        {bottom > 0 && (
          <tr className="spacer">
            <td colSpan={COLUMNS.length} style={{ height: bottom }} />
          </tr>
        )}
      </tbody>
    </table>
  );
}
