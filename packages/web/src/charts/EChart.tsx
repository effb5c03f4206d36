/**
 * One ECharts chart. The library is loaded on first use (pages without charts never fetch it);
 * the chart follows the theme, resizes with its box, and carries a text label for screen readers.
 */
import type { ECharts, EChartsOption } from 'echarts';
import { useEffect, useRef, useState } from 'react';
import { useTheme } from '../theme';

let library: Promise<typeof import('echarts')> | null = null;
function loadEcharts() {
  library ??= import('echarts');
  return library;
}

export interface EChartProps {
  /** An ECharts option; built by plain functions, so typed loosely here. */
  option: object;
  /** What the chart shows, read by screen readers. */
  label: string;
  height?: number;
  onClick?: (params: { data?: unknown; value?: unknown; seriesName?: string; dataIndex?: number }) => void;
  testId?: string;
}

export function EChart({ option, label, height = 220, onClick, testId }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const { theme } = useTheme();
  const [ready, setReady] = useState(false);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void loadEcharts().then((echarts) => {
      if (disposed || !box.current) return;
      const instance = echarts.init(box.current, theme === 'dark' ? 'dark' : undefined, {
        renderer: 'canvas',
      });
      instance.on('click', (params) => clickRef.current?.(params as never));
      chart.current = instance;
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(box.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
      setReady(false);
    };
  }, [theme]);

  useEffect(() => {
    if (ready && chart.current) {
      chart.current.setOption(
        { backgroundColor: 'transparent', animation: false, ...option } as EChartsOption,
        true,
      );
    }
  }, [option, ready]);

  return (
    <div ref={box} className="chart" role="img" aria-label={label} style={{ height }} data-testid={testId} />
  );
}
