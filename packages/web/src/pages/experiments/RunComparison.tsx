/**
 * The selected runs side by side: one metric's history of every run on one chart (stepped: a
 * value holds until the next logged step), their final metrics, and their params with the
 * differences marked (by a sign and text as well as colour).
 */
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { mlflow } from '../../api';
import { EChart } from '../../charts/EChart';
import { chartColors, GRID, valueAxis } from '../../charts/palette';
import { Card } from '../../components/Card';
import { SelectField } from '../../components/form';
import { ErrorState, Loading } from '../../components/states';
import { formatNumber } from '../model/range';
import { defaultChartMetric, paramDifferences } from './runs';

/** Marker shapes, so series differ by more than colour. */
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow', 'roundRect', 'emptyCircle'];

export function RunComparison({
  runs,
  metricKeys,
  metric,
  onMetric,
}: {
  runs: readonly mlflow.Run[];
  metricKeys: readonly string[];
  metric: string | undefined;
  onMetric: (key: string) => void;
}) {
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const chosen = metric && metricKeys.includes(metric) ? metric : defaultChartMetric(runs, metricKeys);
  const histories = useQueries({
    queries: runs.map((run) => ({
      queryKey: ['mlflow', 'metric-history', run.info.run_id, chosen],
      queryFn: () => mlflow.metricHistory(run.info.run_id, chosen!),
      enabled: chosen !== undefined,
      staleTime: 60_000,
    })),
  });
  const loading = histories.some((h) => h.isPending) && chosen !== undefined;
  const failed = histories.find((h) => h.isError);
  const historyData = histories.map((h) => h.data);
  const option = useMemo(() => {
    const c = chartColors();
    return {
      grid: { ...GRID, top: 48 },
      tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => formatNumber(v as number, 4) },
      legend: { top: 0, textStyle: { color: c.muted } },
      xAxis: {
        type: 'value' as const,
        name: 'step',
        nameLocation: 'middle' as const,
        nameGap: 24,
        nameTextStyle: { color: c.muted },
        axisLabel: { color: c.muted },
        splitLine: { show: false },
        min: 'dataMin',
        max: 'dataMax',
      },
      yAxis: valueAxis(chosen, { scale: true }),
      series: runs.map((run, i) => ({
        name: mlflow.runName(run),
        type: 'line' as const,
        step: 'end' as const,
        symbol: SYMBOLS[i % SYMBOLS.length],
        symbolSize: 6,
        showSymbol: (historyData[i]?.length ?? 0) <= 60,
        color: c.series[i % c.series.length],
        data: (historyData[i] ?? []).map((p) => [p.step, p.value]),
      })),
    };
  }, [runs, historyData, chosen]);
  const params = paramDifferences(runs);
  const shownParams = onlyDifferences ? params.filter((p) => p.differs) : params;
  const differing = params.filter((p) => p.differs).length;

  return (
    <>
      <Card
        title={`Compare ${runs.length} run${runs.length === 1 ? '' : 's'}`}
        testId="run-comparison"
        actions={
          metricKeys.length > 0 && chosen ? (
            <SelectField
              label="Metric"
              inline
              value={chosen}
              options={metricKeys.map((k) => ({ value: k, label: k }))}
              onChange={onMetric}
            />
          ) : undefined
        }
      >
        {metricKeys.length === 0 ? (
          <p className="muted">These runs logged no metrics.</p>
        ) : failed ? (
          <ErrorState error={failed.error} title="Could not load the metric history" />
        ) : loading ? (
          <Loading label="Loading metric history…" />
        ) : (
          <EChart
            option={option}
            height={300}
            testId="metric-chart"
            label={`${chosen} by step for ${runs.map(mlflow.runName).join(', ')}.`}
          />
        )}
        <div className="table-scroll">
          <table className="table" data-testid="compare-metrics">
            <caption className="visually-hidden">Latest value of each metric per run</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                {runs.map((run) => (
                  <th key={run.info.run_id} scope="col" className="numeric">
                    {mlflow.runName(run)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {metricKeys.map((key) => (
                <tr key={key}>
                  <th scope="row">{key}</th>
                  {runs.map((run) => (
                    <td key={run.info.run_id} className="numeric">
                      {formatNumber(mlflow.metricsOf(run)[key], 4)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card
        title="Params"
        hint={
          runs.length > 1
            ? `${differing} of ${params.length} params differ between these runs (marked ≠).`
            : 'Select another run to see which params differ.'
        }
        actions={
          <label className="checkbox">
            <input
              type="checkbox"
              checked={onlyDifferences}
              onChange={(e) => setOnlyDifferences(e.target.checked)}
            />{' '}
            Only differences
          </label>
        }
      >
        {params.length === 0 ? (
          <p className="muted">These runs logged no params.</p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="param-differences">
              <caption className="visually-hidden">
                Params of the compared runs; differing rows marked
              </caption>
              <thead>
                <tr>
                  <th scope="col">Param</th>
                  {runs.map((run) => (
                    <th key={run.info.run_id} scope="col">
                      {mlflow.runName(run)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shownParams.map((row) => (
                  <tr
                    key={row.key}
                    className={row.differs ? 'param-differs' : undefined}
                    data-differs={row.differs}
                  >
                    <th scope="row">
                      {row.differs && (
                        <span className="differs-mark" aria-hidden="true">
                          ≠{' '}
                        </span>
                      )}
                      {row.key}
                      {row.differs && <span className="visually-hidden"> (differs)</span>}
                    </th>
                    {row.values.map((value, i) => (
                      <td key={runs[i]!.info.run_id}>{value ?? <span className="muted">not set</span>}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
