/**
 * The empty overview: what to do next. Snippets that work as pasted (this server's URL, and a key
 * an admin can create right here), and the demo, which fills every page with data in a minute.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError, api, describeError, hasRole, useCurrentUser } from '../../api';
import { SNIPPET_LANGUAGES, type SnippetLanguage, snippet } from './snippets';

interface DemoState {
  model: string | null;
  streaming: boolean;
}

/** Whether this server offers the demo; null when it does not (the button is then hidden). */
export function useDemoAvailable() {
  return useQuery({
    queryKey: ['demo'],
    queryFn: async () => {
      try {
        return await api.get<DemoState>('/demo');
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return null;
        throw error;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function DemoCard() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const demo = useDemoAvailable();
  const start = useMutation({
    mutationFn: () => api.post<{ model: string }>('/demo'),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (!demo.data) return null;
  const canStart = hasRole(user, 'editor');
  return (
    <section className="card getting-started-demo" aria-labelledby="demo-title">
      <h2 id="demo-title">See it with sample data</h2>
      <p>
        The demo registers a sample model with reference data and streams realistic traffic with a drift
        episode, late labels and a firing alert, so every page has something to show within a minute. Remove
        it with one click when you are done.
      </p>
      {canStart ? (
        <button
          type="button"
          className="button button-primary"
          onClick={() => start.mutate()}
          disabled={start.isPending}
        >
          {start.isPending ? 'Starting the demo…' : 'Start the demo'}
        </button>
      ) : (
        <p className="hint">An editor or admin can start it.</p>
      )}
      {start.isError && (
        <p className="form-error" role="alert">
          Could not start the demo: {describeError(start.error)}
        </p>
      )}
    </section>
  );
}

function SnippetCard() {
  const user = useCurrentUser();
  const [language, setLanguage] = useState<SnippetLanguage>('TypeScript');
  const [apiKey, setApiKey] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const tabsId = useId();
  const createKey = useMutation({
    mutationFn: () =>
      api.post<{ key: string }>('/keys', {
        name: `first-prediction-${new Date().toISOString()}`,
        scope: 'write',
      }),
    onSuccess: (created) => setApiKey(created.key),
  });
  const code = snippet(language, { url: window.location.origin, apiKey });

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard refused (insecure origin): the code stays selectable.
    }
  }

  return (
    <section className="card getting-started-snippets" aria-labelledby="snippet-title">
      <h2 id="snippet-title">Send your first prediction</h2>
      <p>
        Log predictions from your serving code; the model appears here with its health as soon as they arrive.
        Upload training data as reference (<code>POST /api/v1/models/my-model/reference</code>) to get drift
        monitors.
      </p>
      <div className="tabs" role="tablist" aria-label="Language">
        {SNIPPET_LANGUAGES.map((item) => (
          <button
            key={item}
            type="button"
            role="tab"
            id={`${tabsId}-${item}`}
            aria-selected={item === language}
            aria-controls={`${tabsId}-panel`}
            tabIndex={item === language ? 0 : -1}
            className="tab"
            onClick={() => setLanguage(item)}
            onKeyDown={(event) => {
              const index = SNIPPET_LANGUAGES.indexOf(item);
              const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
              if (step === 0) return;
              const next =
                SNIPPET_LANGUAGES[(index + step + SNIPPET_LANGUAGES.length) % SNIPPET_LANGUAGES.length]!;
              setLanguage(next);
              document.getElementById(`${tabsId}-${next}`)?.focus();
            }}
          >
            {item}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${tabsId}-panel`} aria-labelledby={`${tabsId}-${language}`}>
        <pre className="code-block" data-testid="snippet">
          <code>{code}</code>
        </pre>
        <div className="snippet-actions">
          <button type="button" className="button" onClick={copy}>
            {copied ? 'Copied' : 'Copy'}
          </button>
          {apiKey ? (
            <span className="hint" role="status">
              A new write key is filled in. It is shown only now: keep it somewhere safe.
            </span>
          ) : hasRole(user, 'admin') ? (
            <button
              type="button"
              className="button"
              onClick={() => createKey.mutate()}
              disabled={createKey.isPending}
            >
              Create a write key for this snippet
            </button>
          ) : (
            <span className="hint">Ask an admin for an API key with the write scope.</span>
          )}
        </div>
        {createKey.isError && (
          <p className="form-error" role="alert">
            Could not create a key: {describeError(createKey.error)}
          </p>
        )}
      </div>
    </section>
  );
}

/** While the demo's data is in, a line says so and removes it in one click. */
export function DemoBanner() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const demo = useDemoAvailable();
  const remove = useMutation({
    mutationFn: () => api.delete('/demo'),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (!demo.data?.model) return null;
  return (
    <div className="demo-banner" role="note">
      <span>
        The demo is {demo.data.streaming ? 'streaming' : 'loaded'}: <strong>{demo.data.model}</strong> holds
        generated data.
      </span>
      {hasRole(user, 'editor') && (
        <button type="button" className="button" onClick={() => remove.mutate()} disabled={remove.isPending}>
          {remove.isPending ? 'Removing…' : 'Remove the demo'}
        </button>
      )}
      {remove.isError && (
        <span className="form-error" role="alert">
          {describeError(remove.error)}
        </span>
      )}
    </div>
  );
}

export function GettingStarted() {
  return (
    <div className="getting-started">
      <div className="getting-started-intro">
        <h2>No models yet</h2>
        <p>
          Vigil watches the predictions your models make. Send some, or start the demo to look around first.
        </p>
      </div>
      <SnippetCard />
      <DemoCard />
    </div>
  );
}
