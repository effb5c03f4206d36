/** Time range, version and segment pickers; every change goes into the URL. */
import { useNavigate } from '@tanstack/react-router';
import { RANGES, type RangeSearch } from './range';

export function RangeControls({
  search,
  versions,
  segments,
}: {
  search: RangeSearch;
  versions: string[];
  segments: { name: string; values: string[] }[];
}) {
  const navigate = useNavigate();
  const update = (patch: Partial<RangeSearch>) =>
    void navigate({
      to: '.',
      search: (previous: Record<string, unknown>) => {
        const next: Record<string, unknown> = { ...previous, ...patch };
        for (const key of Object.keys(next))
          if (next[key] === undefined || next[key] === '') delete next[key];
        return next;
      },
      replace: true,
    } as never);
  const custom = search.from !== undefined && search.to !== undefined;
  return (
    <fieldset className="filters" aria-label="Time range and filters">
      <label className="field-inline">
        <span>Time range</span>
        <select
          value={custom ? 'custom' : (search.range ?? '3d')}
          onChange={(e) =>
            update(
              e.target.value === 'custom'
                ? { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() }
                : { range: e.target.value, from: undefined, to: undefined },
            )
          }
        >
          {RANGES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {custom && (
        <>
          <label className="field-inline">
            <span>From</span>
            <input
              type="datetime-local"
              value={toLocalInput(search.from!)}
              onChange={(e) => e.target.value && update({ from: new Date(e.target.value).toISOString() })}
            />
          </label>
          <label className="field-inline">
            <span>To</span>
            <input
              type="datetime-local"
              value={toLocalInput(search.to!)}
              onChange={(e) => e.target.value && update({ to: new Date(e.target.value).toISOString() })}
            />
          </label>
        </>
      )}
      <label className="field-inline">
        <span>Version</span>
        <select value={search.version ?? ''} onChange={(e) => update({ version: e.target.value })}>
          <option value="">All versions</option>
          {[...new Set([...versions, ...(search.version ? [search.version] : [])])].map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      {segments.length > 0 && (
        <label className="field-inline">
          <span>Segment</span>
          <select value={search.segment ?? ''} onChange={(e) => update({ segment: e.target.value })}>
            <option value="">All traffic</option>
            {segments.flatMap((s) =>
              s.values.map((v) => (
                <option key={`${s.name}=${v}`} value={`${s.name}=${v}`}>
                  {s.name} = {v}
                </option>
              )),
            )}
          </select>
        </label>
      )}
    </fieldset>
  );
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
