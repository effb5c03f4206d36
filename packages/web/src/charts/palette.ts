/** Chart colours read from the theme's CSS variables, so charts match light and dark themes. */
export function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export function chartColors() {
  return {
    line: cssVar('--chart-line', '#0072b2'),
    text: cssVar('--text', '#1b1f24'),
    muted: cssVar('--text-muted', '#555e6b'),
    border: cssVar('--border', '#d5d9e0'),
    ok: cssVar('--status-ok', '#009e73'),
    warning: cssVar('--status-warning', '#e69f00'),
    alert: cssVar('--status-alerting', '#d55e00'),
    error: cssVar('--status-error', '#cc79a7'),
    info: cssVar('--status-insufficient', '#56b4e9'),
    /** Okabe–Ito, in an order that keeps neighbours distinct. */
    series: ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'],
  };
}

/** A time axis shared by every chart of a page, so their windows line up. */
export function timeAxis(from: string, to: string) {
  const c = chartColors();
  return {
    type: 'time' as const,
    min: from,
    max: to,
    axisLabel: { color: c.muted, hideOverlap: true },
    axisLine: { lineStyle: { color: c.border } },
    splitLine: { show: false },
  };
}

export function valueAxis(name?: string, extra: Record<string, unknown> = {}) {
  const c = chartColors();
  return {
    type: 'value' as const,
    ...(name ? { name, nameTextStyle: { color: c.muted } } : {}),
    axisLabel: { color: c.muted },
    splitLine: { lineStyle: { color: c.border, opacity: 0.5 } },
    ...extra,
  };
}

export const GRID = { left: 56, right: 56, top: 36, bottom: 28 };
