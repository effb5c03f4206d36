/**
 * Which version held each alias from when to when: a timeline (one lane per alias, one bar per
 * holding, labelled with its version) and the same history as a table for screen readers and
 * for exact times. An alias removed since keeps its lane, labelled as removed, so the timeline
 * still says what it pointed to while it existed.
 */
import { useMemo } from 'react';
import { EChart } from '../../charts/EChart';
import { chartColors } from '../../charts/palette';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../format';
import type { AliasHolding } from './types';

const ENDED: Record<NonNullable<AliasHolding['ended_by']>, string> = {
  moved: 'moved on',
  deleted: 'alias removed',
  rolled_back: 'rolled back',
};

const COLUMNS: Column<AliasHolding>[] = [
  { header: 'Alias', cell: (h) => h.alias },
  { header: 'Version', rowHeader: true, cell: (h) => h.version },
  { header: 'From', cell: (h) => <time dateTime={h.from}>{formatDateTime(h.from)}</time> },
  {
    header: 'To',
    cell: (h) => (h.to ? <time dateTime={h.to}>{formatDateTime(h.to)}</time> : <strong>now</strong>),
  },
  { header: 'How it began', cell: (h) => (h.reason === 'rollback' ? 'roll back' : 'set') },
  { header: 'How it ended', cell: (h) => (h.ended_by ? ENDED[h.ended_by] : '–') },
  { header: 'By', cell: (h) => h.set_by },
];

/** Aliases whose newest holding ended with the alias's removal (holdings come newest first). */
export function removedAliases(holdings: AliasHolding[]): Set<string> {
  const newest = new Map<string, AliasHolding>();
  for (const h of holdings) {
    const seen = newest.get(h.alias);
    if (!seen || Date.parse(h.from) > Date.parse(seen.from)) newest.set(h.alias, h);
  }
  return new Set([...newest.values()].filter((h) => h.ended_by === 'deleted').map((h) => h.alias));
}

const ending = (h: AliasHolding) =>
  h.to ? `${formatDateTime(h.to)}${h.ended_by === 'deleted' ? ' (alias removed)' : ''}` : 'now';

export function AliasTimeline({ holdings, nowMs }: { holdings: AliasHolding[]; nowMs: number }) {
  const aliases = [...new Set(holdings.map((h) => h.alias))].sort();
  const removed = useMemo(() => removedAliases(holdings), [holdings]);
  const versions = [...new Set(holdings.map((h) => h.version))].sort((a, b) =>
    a.localeCompare(b, undefined, { numeric: true }),
  );
  const option = useMemo(() => {
    const c = chartColors();
    const colorOf = (version: string) => c.series[versions.indexOf(version) % c.series.length]!;
    return {
      // Room for the longest lane label ("staging (removed)"), within reason.
      grid: {
        left: Math.min(
          220,
          Math.max(96, 16 + 7.5 * Math.max(...aliases.map((a) => a.length + (removed.has(a) ? 10 : 0)))),
        ),
        right: 24,
        top: 16,
        bottom: 28,
      },
      tooltip: {
        formatter: (p: { data: { holding: AliasHolding } }) => {
          const h = p.data.holding;
          return `${h.alias}: version ${h.version}<br/>${formatDateTime(h.from)} – ${ending(h)}`;
        },
      },
      xAxis: {
        type: 'time' as const,
        axisLabel: { color: c.muted, hideOverlap: true },
        axisLine: { lineStyle: { color: c.border } },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'category' as const,
        data: aliases.map((alias) => (removed.has(alias) ? `${alias} (removed)` : alias)),
        axisLabel: { color: c.text },
        axisLine: { lineStyle: { color: c.border } },
      },
      series: [
        {
          type: 'custom' as const,
          encode: { x: [1, 2], y: 0 },
          data: holdings.map((h) => ({
            value: [aliases.indexOf(h.alias), Date.parse(h.from), h.to ? Date.parse(h.to) : nowMs],
            holding: h,
            itemStyle: { color: colorOf(h.version) },
          })),
          renderItem: (
            params: { coordSys: { x: number; width: number } },
            api: {
              value: (i: number) => number;
              coord: (v: [number, number]) => [number, number];
              size: (v: [number, number]) => [number, number];
              style: (extra?: object) => object;
            },
          ) => {
            const lane = api.value(0);
            const start = api.coord([api.value(1), lane]);
            const end = api.coord([api.value(2), lane]);
            const height = api.size([0, 1])[1] * 0.6;
            const x = Math.max(start[0], params.coordSys.x);
            const width = Math.max(2, Math.min(end[0], params.coordSys.x + params.coordSys.width) - x);
            const holding = holdings.find(
              (h) => aliases.indexOf(h.alias) === lane && Date.parse(h.from) === api.value(1),
            );
            return {
              type: 'group',
              children: [
                {
                  type: 'rect',
                  shape: { x, y: start[1] - height / 2, width, height, r: 3 },
                  style: api.style({ stroke: c.border }),
                },
                {
                  type: 'text',
                  style: {
                    text: width > 28 ? `v${holding?.version ?? ''}` : '',
                    x: x + 6,
                    y: start[1],
                    verticalAlign: 'middle',
                    fill: '#000000',
                    stroke: '#ffffff',
                    lineWidth: 3,
                    font: '600 12px sans-serif',
                  },
                },
              ],
            };
          },
        },
      ],
    };
  }, [holdings, aliases, versions, removed, nowMs]);

  return (
    <>
      <EChart
        option={option}
        height={48 + 44 * Math.max(1, aliases.length)}
        testId="alias-timeline"
        label={`Alias history: ${holdings
          .map((h) => `${h.alias} on version ${h.version} from ${formatDateTime(h.from)} to ${ending(h)}`)
          .join('; ')}.`}
      />
      <details>
        <summary>History as a table</summary>
        <DataTable
          caption="Every holding of every alias, newest first"
          columns={COLUMNS}
          rows={holdings}
          rowKey={(h) => `${h.alias}-${h.from}`}
          testId="alias-history"
          scroll
        />
      </details>
    </>
  );
}
