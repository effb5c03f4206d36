/**
 * Alerts drawn on a page's time axis, in the data's time: each alert spans the windows that
 * breached (an alert still firing spans to the end of the range). Firing and resolution times
 * are wall-clock times, which for backfilled history are long after the windows.
 */
function span(alert: Alert, to: string): [string, string] {
  return [alert.window_start, alert.state === 'resolved' ? alert.window_end : to];
}

import type { Alert } from '@vigil/sdk';
import { chartColors } from '../../charts/palette';

export function alertSpans(alerts: Alert[], to: string) {
  const c = chartColors();
  return {
    silent: true,
    itemStyle: { color: c.alert, opacity: 0.08 },
    data: alerts
      .filter((a) => a.fired_at !== null)
      .map((a) => {
        const [start, end] = span(a, to);
        return [{ xAxis: start }, { xAxis: end }];
      }),
  };
}

export function alertTimelineOption(alerts: Alert[], from: string, to: string) {
  const c = chartColors();
  const monitors = [...new Set(alerts.map((a) => a.labels.monitor ?? a.rule))].sort();
  const severityColor: Record<string, string> = { critical: c.alert, warning: c.warning, info: c.info };
  return {
    grid: { left: 140, right: 56, top: 8, bottom: 28 },
    tooltip: { trigger: 'item' as const },
    xAxis: {
      type: 'time' as const,
      min: from,
      max: to,
      axisLabel: { color: c.muted, hideOverlap: true },
    },
    yAxis: { type: 'category' as const, data: monitors, axisLabel: { color: c.muted } },
    series: [
      {
        type: 'custom' as const,
        renderItem: (
          _params: unknown,
          api: {
            value: (i: number) => number;
            coord: (v: [number, number]) => [number, number];
            size: (v: [number, number]) => [number, number];
            style: (extra?: object) => object;
          },
        ) => {
          const start = api.coord([api.value(0), api.value(2)]);
          const end = api.coord([api.value(1), api.value(2)]);
          const height = api.size([0, 1])[1] * 0.5;
          return {
            type: 'rect',
            shape: { x: start[0], y: start[1] - height / 2, width: Math.max(3, end[0] - start[0]), height },
            style: api.style(),
          };
        },
        encode: { x: [0, 1], y: 2 },
        data: alerts.map((a) => ({
          name: `${a.labels.monitor ?? a.rule}${a.labels.feature ? ` · ${a.labels.feature}` : ''} (${a.severity}, ${a.state})`,
          value: [...span(a, to).map((t) => Date.parse(t)), monitors.indexOf(a.labels.monitor ?? a.rule)],
          itemStyle: {
            color: severityColor[a.severity] ?? c.muted,
            opacity: a.state === 'resolved' ? 0.45 : 0.9,
          },
        })),
      },
    ],
  };
}
