/** Labelled form controls and the error line under a form, the same on every page. */
import type { InputHTMLAttributes, ReactNode } from 'react';
import { describeError } from '../api';

export function TextField({
  label,
  value,
  onChange,
  ...input
}: { label: string; value: string; onChange: (value: string) => void } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange'
>) {
  return (
    <label className="field">
      <span>{label}</span>
      <input value={value} onChange={(e) => onChange(e.target.value)} {...input} />
    </label>
  );
}

export function SelectField<V extends string>({
  label,
  value,
  options,
  onChange,
  inline,
  hiddenLabel,
  disabled,
}: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  /** Label beside the control (filters) rather than above it (forms). */
  inline?: boolean;
  /** The label is read by screen readers only (a select inside a table row). */
  hiddenLabel?: boolean;
  disabled?: boolean;
}) {
  return (
    <label className={inline ? 'field-inline' : hiddenLabel ? undefined : 'field'}>
      <span className={hiddenLabel ? 'visually-hidden' : undefined}>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as V)} disabled={disabled}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A failed request's message, announced to screen readers; nothing when there is no error. */
export function FormError({ error, inline }: { error: unknown; inline?: boolean }) {
  if (error === null || error === undefined || error === false) return null;
  const Tag = inline ? 'span' : 'p';
  return (
    <Tag className="form-error" role="alert">
      {describeError(error)}
    </Tag>
  );
}

/** A quiet note announced when it changes (e.g. "User ana created."). */
export function StatusNote({ children }: { children: ReactNode }) {
  return (
    <p className="hint" role="status">
      {children}
    </p>
  );
}
