/**
 * A titled card that shows a query's states the same way everywhere: loading, an error with a
 * retry, an empty state that says what to do, then the content.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { EmptyState, ErrorState, Loading } from './states';

export function Card({
  title,
  hint,
  actions,
  children,
  className,
  testId,
}: {
  title: ReactNode;
  hint?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const id = useId();
  return (
    <section className={`card${className ? ` ${className}` : ''}`} aria-labelledby={id} data-testid={testId}>
      <div className="card-header">
        <h2 id={id}>{title}</h2>
        {actions && <div className="card-actions">{actions}</div>}
      </div>
      {hint && <p className="hint">{hint}</p>}
      {children}
    </section>
  );
}

/** The content of a query: `children(data)` once it has data, else its loading, error or empty state. */
export function QueryContent<T>({
  query,
  what,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  /** What is loaded, for the messages: "users", "API keys". */
  what: string;
  isEmpty?: (data: T) => boolean;
  /** The empty state: a title and what to do next. */
  empty?: { title: string; body?: ReactNode };
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={`Loading ${what}…`} />;
  if (query.isError) {
    return (
      <ErrorState error={query.error} title={`Could not load ${what}`} onRetry={() => query.refetch()} />
    );
  }
  if (empty && isEmpty?.(query.data)) return <EmptyState title={empty.title}>{empty.body}</EmptyState>;
  return <>{children(query.data)}</>;
}
