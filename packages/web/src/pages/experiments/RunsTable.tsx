/**
 * The runs of an experiment, with the params and metrics the user chose as columns. Rows are
 * virtualised inside a scrolling box, so thousands of runs cost the DOM of the few on screen;
 * a checkbox per row selects runs to compare.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { mlflow } from '../../api';
import { formatDateTime, formatRelative } from '../../format';
import { formatNumber } from '../model/range';

const ROW_HEIGHT = 41;
/** Most runs that can be compared at once: more curves on one chart cannot be told apart. */
export const MAX_COMPARED = 8;

export function RunsTable({
  runs,
  params,
  metrics,
  selected,
  onToggle,
}: {
  runs: readonly mlflow.Run[];
  params: readonly string[];
  metrics: readonly string[];
  selected: readonly string[];
  onToggle: (runId: string) => void;
}) {
  const scroller = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: runs.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const top = items.length > 0 ? items[0]!.start : 0;
  const bottom = items.length > 0 ? virtualizer.getTotalSize() - items.at(-1)!.end : 0;
  const columnCount = 4 + params.length + metrics.length;
  const full = selected.length >= MAX_COMPARED;

  return (
    // The box scrolls; keyboard users reach it with Tab (it is a focusable region).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section className="runs-scroll" ref={scroller} tabIndex={0} aria-label="Runs">
      <table className="table runs-table" data-testid="runs-table" aria-rowcount={runs.length + 1}>
        <caption className="visually-hidden">
          Runs of the experiment, newest first, with the chosen params and metrics. {runs.length} runs.
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Compare</span>
            </th>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            {params.map((key) => (
              <th key={`p-${key}`} scope="col" className="col-param">
                <span className="col-kind">param</span> {key}
              </th>
            ))}
            {metrics.map((key) => (
              <th key={`m-${key}`} scope="col" className="numeric col-metric">
                <span className="col-kind">metric</span> {key}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr className="spacer">
              <td colSpan={columnCount} style={{ height: top }} />
            </tr>
          )}
          {items.map((item) => {
            const run = runs[item.index]!;
            const isSelected = selected.includes(run.info.run_id);
            const runParams = mlflow.paramsOf(run);
            const runMetrics = mlflow.metricsOf(run);
            const name = mlflow.runName(run);
            const started = run.info.start_time ? new Date(run.info.start_time).toISOString() : null;
            return (
              <tr
                key={run.info.run_id}
                data-testid="run-row"
                className={isSelected ? 'row-selected' : undefined}
                style={{ height: ROW_HEIGHT }}
                aria-rowindex={item.index + 2}
              >
                <td>
                  <input
                    type="checkbox"
                    checked={isSelected}
                    disabled={!isSelected && full}
                    onChange={() => onToggle(run.info.run_id)}
                    aria-label={`Compare ${name}`}
                  />
                </td>
                <th scope="row">
                  <span title={run.info.run_id}>{name}</span>
                </th>
                <td>{run.info.status.toLowerCase()}</td>
                <td>
                  <time dateTime={started ?? undefined} title={formatDateTime(started)}>
                    {formatRelative(started)}
                  </time>
                </td>
                {params.map((key) => (
                  <td key={`p-${key}`} className="col-param">
                    {runParams[key] ?? <span className="muted">–</span>}
                  </td>
                ))}
                {metrics.map((key) => (
                  <td key={`m-${key}`} className="numeric">
                    {runMetrics[key] === undefined ? (
                      <span className="muted">–</span>
                    ) : (
                      formatNumber(runMetrics[key])
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr className="spacer">
              <td colSpan={columnCount} style={{ height: bottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
