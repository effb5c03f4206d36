/**
 * A link to a model's page. The model pages hang from their own route; this link goes by URL so
 * any page can point at a model, and plain clicks stay inside the app (no reload).
 */
import { useRouter } from '@tanstack/react-router';
import type { MouseEvent, ReactNode } from 'react';

export function modelPath(model: string): string {
  return `/models/${encodeURIComponent(model)}`;
}

export function ModelLink({ model, children }: { model: string; children?: ReactNode }) {
  const router = useRouter();
  const href = modelPath(model);
  function onClick(event: MouseEvent<HTMLAnchorElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void router.navigate({ href });
  }
  return (
    <a href={href} onClick={onClick}>
      {children ?? model}
    </a>
  );
}
