/**
 * Champion against challenger on live traffic (`GET /api/v1/models/{m}/compare`): both
 * versions' predictions for the same ids, compared paired — the difference in each metric with
 * its interval and test, and before labels arrive the agreement and each side's estimate.
 * Servers without the comparison answer 404, and the card is left out.
 */
import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api';
import { Card } from '../../components/Card';
import { ErrorState, Loading } from '../../components/states';
import { formatNumber } from '../model/range';
import type { ComparisonResult, MetricComparison } from './types';

const TESTS: Record<MetricComparison['test'], string> = {
  mcnemar: 'McNemar',
  delong: 'DeLong',
  paired_bootstrap: 'paired bootstrap',
};

function percent(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)} %`;
}

function Verdict({ row, a, b }: { row: MetricComparison; a: string; b: string }) {
  if (row.status !== 'ok') return <span className="muted">{row.reason ?? 'not enough labelled pairs'}</span>;
  if (row.better === null) return <span>no significant difference</span>;
  return <strong>{row.better === 'a' ? a : b} is better</strong>;
}

export function ComparisonCard({ model, a, b }: { model: string; a: string; b: string }) {
  const comparison = useQuery({
    queryKey: ['registry', model, 'compare', a, b],
    queryFn: () =>
      api.get<ComparisonResult>(`/models/${encodeURIComponent(model)}/compare`, { query: { a, b } }),
    retry: false,
  });
  if (
    comparison.error instanceof ApiError &&
    (comparison.error.status === 404 || comparison.error.status === 405)
  ) {
    return null;
  }
  const title = `${a.charAt(0).toUpperCase()}${a.slice(1)} against ${b} on live traffic`;
  if (comparison.isPending) {
    return (
      <Card title={title}>
        <Loading label="Comparing…" />
      </Card>
    );
  }
  if (comparison.error instanceof ApiError && comparison.error.code === 'no_overlap') {
    // Not a failure: the challenger has not predicted any id the champion served yet.
    return (
      <Card title={title} testId="comparison">
        <p className="muted">{comparison.error.message}</p>
      </Card>
    );
  }
  if (comparison.isError) {
    return (
      <Card title={title}>
        <ErrorState error={comparison.error} title="Could not compare" onRetry={() => comparison.refetch()} />
      </Card>
    );
  }
  const result = comparison.data;
  const nameA = `${result.a.requested} (version ${result.a.version})`;
  const nameB = `${result.b.requested} (version ${result.b.version})`;
  const overall = result.overall;
  return (
    <Card
      title={title}
      testId="comparison"
      hint={`Predictions both versions made for the same ids over the last 7 days, paired on the same labels; ${Math.round(result.confidence * 100)} % intervals of ${result.b.requested} − ${result.a.requested}.`}
    >
      <dl className="stats-row">
        <div>
          <dt>Paired predictions</dt>
          <dd>{overall.pairs.toLocaleString()}</dd>
        </div>
        <div>
          <dt>With a label</dt>
          <dd>{overall.labelled.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Agreement</dt>
          <dd>{percent(overall.agreement.rate)}</dd>
        </div>
      </dl>
      {overall.pairs === 0 ? (
        <p className="muted">
          No prediction ids in common yet: log the challenger's predictions for the same ids as the champion's
          (shadow predictions) to compare them.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="comparison-metrics">
            <caption className="visually-hidden">Paired comparison per metric</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" className="numeric">
                  {result.a.requested}
                </th>
                <th scope="col" className="numeric">
                  {result.b.requested}
                </th>
                <th scope="col" className="numeric">
                  Difference
                </th>
                <th scope="col">Interval</th>
                <th scope="col" className="numeric">
                  p-value
                </th>
                <th scope="col">Test</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {overall.metrics.map((row) => (
                <tr key={row.metric}>
                  <th scope="row">{row.metric}</th>
                  <td className="numeric">{formatNumber(row.a, 4)}</td>
                  <td className="numeric">{formatNumber(row.b, 4)}</td>
                  <td className="numeric">{formatNumber(row.difference, 3)}</td>
                  <td>
                    {row.lower === null
                      ? '–'
                      : `${formatNumber(row.lower, 3)} to ${formatNumber(row.upper, 3)}`}
                  </td>
                  <td className="numeric">{formatNumber(row.p_value, 2)}</td>
                  <td>{TESTS[row.test]}</td>
                  <td>
                    <Verdict row={row} a={nameA} b={nameB} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {overall.estimated?.status === 'ok' && overall.estimated.a && overall.estimated.b && (
        <p className="hint">
          Estimated without labels (CBPE): accuracy {formatNumber(overall.estimated.a.accuracy ?? null, 3)}{' '}
          for {result.a.requested}, {formatNumber(overall.estimated.b.accuracy ?? null, 3)} for{' '}
          {result.b.requested}.
        </p>
      )}
    </Card>
  );
}
