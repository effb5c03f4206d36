/**
 * The life cycle of one series under one rule, as Prometheus's: inactive → pending → firing →
 * resolved. Only windows with data count: a window with insufficient data (or an error)
 * neither breaches nor heals, so a gap in traffic never resolves nor raises an alert.
 */
import type { SeriesWindow } from '../storage/alerts.js';

export type SeriesCondition = 'inactive' | 'pending' | 'firing';

/**
 * `firing` when at least `breaches` of the last `of` windows with data breach; `pending`
 * when some but fewer do; `inactive` when none does.
 */
export function seriesCondition(
  windows: readonly SeriesWindow[],
  forWindows: { breaches: number; of: number },
): SeriesCondition {
  const recent = windows.filter((w) => w.outcome !== 'no_data').slice(-forWindows.of);
  const breaches = recent.filter((w) => w.outcome === 'breach').length;
  if (breaches >= forWindows.breaches) return 'firing';
  return breaches > 0 ? 'pending' : 'inactive';
}

/** The window an alert shows: the newest breaching one among those with data, else the newest. */
export function evidenceWindow(windows: readonly SeriesWindow[]): SeriesWindow | undefined {
  const withData = windows.filter((w) => w.outcome !== 'no_data');
  return withData.filter((w) => w.outcome === 'breach').at(-1) ?? withData.at(-1) ?? windows.at(-1);
}
