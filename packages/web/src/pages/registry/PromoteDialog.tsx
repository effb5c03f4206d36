/**
 * Promote a version to an alias, behind a confirmation dialog: the user sees what will change
 * (which version holds the alias now), sets the gate's checks (as MLflow's MetricThreshold,
 * against the current holder), and gets the gate's answer: every check with its numbers, and
 * for a refusal, which failed.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ModelVersion } from '@vigil/sdk';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../../api';
import { FormError, SelectField, TextField } from '../../components/form';
import { formatNumber } from '../model/range';
import type { AliasHolding, CheckResult, MetricCheck, PromoteAnswer } from './types';

interface CheckDraft {
  metric: string;
  direction: 'higher' | 'lower';
  kind: 'min_absolute_change' | 'min_relative_change' | 'threshold';
  value: string;
}

const KINDS = [
  { value: 'min_absolute_change', label: 'improves on the holder by at least' },
  { value: 'min_relative_change', label: 'improves on the holder by at least (fraction)' },
  { value: 'threshold', label: 'reaches at least (or at most) the value' },
] as const;

/** Metrics where lower is better, by their usual names. */
function lowerIsBetter(metric: string): boolean {
  return /loss|error|rmse|mae|mse|logloss|brier/i.test(metric);
}

/** A first check a user would expect: the main metric must not get worse than the holder's. */
export function defaultChecks(metrics: Record<string, number>): CheckDraft[] {
  const keys = Object.keys(metrics);
  const metric =
    ['auc', 'roc_auc', 'val_auc', 'f1', 'accuracy', 'rmse'].find((k) => keys.includes(k)) ?? keys[0];
  return metric === undefined
    ? []
    : [
        {
          metric,
          direction: lowerIsBetter(metric) ? 'lower' : 'higher',
          kind: 'min_absolute_change',
          value: '0',
        },
      ];
}

function toCheck(draft: CheckDraft): MetricCheck {
  return {
    metric: draft.metric,
    greater_is_better: draft.direction === 'higher',
    [draft.kind]: Number(draft.value),
  };
}

export function CheckResults({ checks, caption }: { checks: CheckResult[]; caption: string }) {
  return (
    <table className="table" data-testid="gate-checks">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Result</th>
          <th scope="col">Metric</th>
          <th scope="col">Check</th>
          <th scope="col" className="numeric">
            Candidate
          </th>
          <th scope="col" className="numeric">
            Current holder
          </th>
          <th scope="col" className="numeric">
            Required
          </th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c) => (
          <tr key={`${c.metric}-${c.check}`} className={c.passed ? undefined : 'check-failed'}>
            <td className="check-result">{c.skipped ? '– skipped' : c.passed ? '✓ passed' : '✗ failed'}</td>
            <th scope="row">{c.metric}</th>
            <td>
              {c.check.replaceAll('_', ' ')}
              {!c.passed && <div className="muted">{c.message}</div>}
            </td>
            <td className="numeric">{formatNumber(c.candidate, 4)}</td>
            <td className="numeric">{formatNumber(c.baseline, 4)}</td>
            <td className="numeric">{formatNumber(c.required, 4)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PromoteDialog({
  model,
  version,
  aliases,
  onClose,
}: {
  model: string;
  version: ModelVersion;
  /** The aliases now, to say what the promotion replaces. */
  aliases: AliasHolding[];
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const [alias, setAlias] = useState('champion');
  const [checks, setChecks] = useState<CheckDraft[]>(() => defaultChecks(version.metrics));
  const metricKeys = Object.keys(version.metrics).sort();
  const holder = aliases.find((a) => a.alias === alias);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const promote = useMutation({
    mutationFn: () =>
      api.post<PromoteAnswer>(
        `/models/${encodeURIComponent(model)}/aliases/${encodeURIComponent(alias)}/promote`,
        { version: version.name, checks: checks.map(toCheck) },
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['registry', model] }),
  });
  const refused =
    promote.error instanceof ApiError && promote.error.code === 'promotion_refused'
      ? (promote.error.details as CheckResult[] | undefined)
      : undefined;
  const update = (i: number, patch: Partial<CheckDraft>) =>
    setChecks((list) => list.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    promote.mutate();
  }

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="promote-title"
      onClose={onClose}
      data-testid="promote-dialog"
    >
      <h2 id="promote-title">
        Promote version {version.name} of {model}
      </h2>
      {promote.isSuccess ? (
        <div role="status">
          <p>
            <strong>
              Version {promote.data.current.version} is now {promote.data.current.alias}.
            </strong>{' '}
            Roll back returns the alias to the version before.
          </p>
          {promote.data.checks.length > 0 && (
            <CheckResults checks={promote.data.checks} caption="The gate's checks" />
          )}
          <div className="row">
            <button type="button" className="button button-primary" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={onSubmit}>
          <TextField
            label="Alias"
            value={alias}
            onChange={setAlias}
            required
            pattern="[A-Za-z0-9_\-]+"
            list="alias-suggestions"
          />
          <datalist id="alias-suggestions">
            <option value="champion" />
            <option value="challenger" />
          </datalist>
          <p data-testid="promote-summary">
            {holder
              ? holder.version === version.name
                ? `Version ${version.name} already holds ${alias}.`
                : `${alias} moves from version ${holder.version} to version ${version.name}.`
              : `Nothing holds ${alias} yet: version ${version.name} will. Checks against the holder are skipped.`}
          </p>
          <fieldset className="checks-editor">
            <legend>Gate: the checks version {version.name} must pass</legend>
            {checks.length === 0 && <p className="muted">No checks: the alias moves unconditionally.</p>}
            {checks.map((check, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: checks have no identity beyond their place
              <div className="check-row" key={i}>
                <SelectField
                  label={`Metric of check ${i + 1}`}
                  value={check.metric}
                  options={(metricKeys.includes(check.metric)
                    ? metricKeys
                    : [check.metric, ...metricKeys]
                  ).map((k) => ({ value: k, label: k }))}
                  onChange={(metric) => update(i, { metric })}
                />
                <SelectField
                  label="Better when"
                  value={check.direction}
                  options={[
                    { value: 'higher', label: 'higher' },
                    { value: 'lower', label: 'lower' },
                  ]}
                  onChange={(direction) => update(i, { direction })}
                />
                <SelectField
                  label="Check"
                  value={check.kind}
                  options={KINDS}
                  onChange={(kind) => update(i, { kind })}
                />
                <TextField
                  label="Value"
                  type="number"
                  step="any"
                  required
                  value={check.value}
                  onChange={(value) => update(i, { value })}
                />
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => setChecks((list) => list.filter((_, j) => j !== i))}
                  aria-label={`Remove check ${i + 1}`}
                >
                  Remove
                </button>
              </div>
            ))}
            {metricKeys.length > 0 && (
              <div>
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() =>
                    setChecks((list) => [
                      ...list,
                      {
                        metric: metricKeys[0]!,
                        direction: lowerIsBetter(metricKeys[0]!) ? 'lower' : 'higher',
                        kind: 'threshold',
                        value: String(version.metrics[metricKeys[0]!] ?? 0),
                      },
                    ])
                  }
                >
                  Add a check
                </button>
              </div>
            )}
          </fieldset>
          {refused ? (
            <div role="alert" data-testid="promotion-refused">
              <p className="form-error">{(promote.error as ApiError).message}</p>
              <CheckResults checks={refused} caption="The gate refused the promotion" />
            </div>
          ) : (
            <FormError error={promote.error} />
          )}
          <div className="row">
            <button type="submit" className="button button-primary" disabled={promote.isPending}>
              {promote.isPending ? 'Promoting…' : `Promote to ${alias || '…'}`}
            </button>
            <button type="button" className="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
