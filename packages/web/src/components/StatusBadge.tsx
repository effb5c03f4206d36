/**
 * Model and monitor health. The palette is Okabe–Ito (safe for the common colour-vision
 * deficiencies) and each status also has its own shape and its name in text, so colour is
 * never the only cue.
 */
export type HealthStatus = 'alerting' | 'warning' | 'error' | 'ok' | 'insufficient_data' | 'no_data';

interface StatusStyle {
  label: string;
  /** The glyph drawn before the label (decorative; the label says it). */
  shape: 'circle' | 'triangle' | 'square' | 'diamond' | 'half' | 'ring';
  /** CSS variable holding the colour, so light and dark themes can tune it. */
  color: string;
  /** Worst first, for sorting. */
  rank: number;
  description: string;
}

export const STATUS_STYLES: Record<HealthStatus, StatusStyle> = {
  alerting: {
    label: 'Alerting',
    shape: 'square',
    color: 'var(--status-alerting)',
    rank: 0,
    description: 'A monitor crossed its alert threshold in its newest window.',
  },
  error: {
    label: 'Error',
    shape: 'diamond',
    color: 'var(--status-error)',
    rank: 1,
    description: 'A monitor could not be evaluated.',
  },
  warning: {
    label: 'Warning',
    shape: 'triangle',
    color: 'var(--status-warning)',
    rank: 2,
    description: 'A monitor crossed its warning threshold in its newest window.',
  },
  insufficient_data: {
    label: 'Insufficient data',
    shape: 'half',
    color: 'var(--status-insufficient)',
    rank: 3,
    description: 'The newest windows have too few rows to judge.',
  },
  ok: {
    label: 'OK',
    shape: 'circle',
    color: 'var(--status-ok)',
    rank: 4,
    description: 'Every monitor is within its thresholds.',
  },
  no_data: {
    label: 'No data',
    shape: 'ring',
    color: 'var(--status-none)',
    rank: 5,
    description: 'No monitor has evaluated a window yet.',
  },
};

export const HEALTH_STATUSES = Object.keys(STATUS_STYLES) as HealthStatus[];

export function StatusShape({ status, size = 12 }: { status: HealthStatus; size?: number }) {
  const { shape, color } = STATUS_STYLES[status];
  const common = { fill: color, stroke: color };
  return (
    <svg width={size} height={size} viewBox="0 0 12 12" aria-hidden="true" className="status-shape">
      {shape === 'circle' && <circle cx="6" cy="6" r="5" {...common} />}
      {shape === 'ring' && <circle cx="6" cy="6" r="4.25" fill="none" stroke={color} strokeWidth="1.5" />}
      {shape === 'square' && <rect x="1" y="1" width="10" height="10" {...common} />}
      {shape === 'triangle' && <path d="M6 0.8 L11.4 11 L0.6 11 Z" {...common} />}
      {shape === 'diamond' && <path d="M6 0.5 L11.5 6 L6 11.5 L0.5 6 Z" {...common} />}
      {shape === 'half' && (
        <>
          <circle cx="6" cy="6" r="4.5" fill="none" stroke={color} strokeWidth="1.5" />
          <path d="M6 1.5 A4.5 4.5 0 0 1 6 10.5 Z" fill={color} />
        </>
      )}
    </svg>
  );
}

export function StatusBadge({ status }: { status: HealthStatus }) {
  const style = STATUS_STYLES[status];
  return (
    <span className="status-badge" title={style.description}>
      <StatusShape status={status} />
      <span>{style.label}</span>
    </span>
  );
}
