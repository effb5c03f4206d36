import { type IngestKind, VigilError, VigilHttpError, VigilNetworkError } from './errors.js';
import { nodeFetch } from './node-fetch.js';
import {
  backoffDelay,
  defaultRetryPolicy,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.js';
import { canGzip, gzip, sleep } from './runtime.js';
import { preparePrediction, toNdjson } from './serialize.js';
import type {
  Alert,
  AlertComment,
  AlertQuery,
  AlertRule,
  AlertRuleRequest,
  ApiKey,
  ApiKeyScope,
  AuditEntry,
  AuditQuery,
  Channel,
  ChannelTestResult,
  CompareQuery,
  ComparisonResult,
  CreateChannelRequest,
  CreatedApiKey,
  CreateModelRequest,
  CreateMonitorRequest,
  CreateUserRequest,
  CreateVersionRequest,
  Delivery,
  DeliveryQuery,
  DemoOptions,
  DemoStarted,
  DriftMap,
  FeatureDetail,
  FeatureQuery,
  IngestResult,
  LabelRecord,
  Model,
  ModelHealth,
  ModelSeries,
  ModelVersion,
  Monitor,
  MonitorResult,
  Overview,
  Page,
  PredictionQuery,
  PredictionRecord,
  PromoteRequest,
  PromotionResult,
  ReferenceRow,
  ResultQuery,
  SeriesQuery,
  ShadowIngestResult,
  ShadowPredictionRecord,
  Silence,
  SilenceRequest,
  StoredPrediction,
  StoredReferenceRow,
  UpdateChannelRequest,
  UpdateMonitorRequest,
  UpdateUserRequest,
  User,
} from './types.js';

/** Options of the low-level HTTP client. */
export interface VigilApiOptions {
  /** Base URL of the Vigil server, e.g. `http://localhost:4000`. */
  url: string;
  /** API key sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Retries after the first attempt on network errors, 408, 429 and 5xx. Default 8. */
  maxRetries?: number;
  /** Cap of the first retry delay, doubled on each retry. Default 250 ms. */
  retryBaseDelayMs?: number;
  /** Upper bound of the exponential retry delay. Default 30 s. */
  retryMaxDelayMs?: number;
  /** Upper bound of a wait asked for by the server with `Retry-After`. Default 5 min. */
  maxRetryAfterMs?: number;
  /**
   * Gzip request bodies (`Content-Encoding: gzip`). Default `'auto'`: gzip, except to a server
   * on this machine (`localhost`, `127.0.0.0/8`, `::1`), where the bytes cost nothing to carry
   * but compressing and decompressing them costs both processes CPU (about a third of what an
   * Arrow record costs them, for half the bytes).
   */
  compression?: boolean | 'auto';
  /** Time limit of one attempt, response body included. Default 60 s. */
  timeoutMs?: number;
  /** Called before each retry, e.g. to show that the server is overloaded. */
  onRetry?: (event: RetryEvent) => void;
  /**
   * `fetch` implementation. Default: on Node.js, one over `node:http`/`node:https` (see
   * `node-fetch.ts`: it sends a body without copying it); elsewhere the global `fetch`.
   */
  fetch?: typeof globalThis.fetch;
}

export interface RetryEvent {
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  /** HTTP status that caused the retry, absent after a network error. */
  status?: number;
  reason: string;
}

/** A request body that is sent as it is (CSV, Parquet, prepared NDJSON...). */
export interface RawBody {
  body: string | Uint8Array;
  contentType: string;
}

/** Query of `POST /api/v1/models/{model}/reference`. */
export interface ReferenceOptions {
  /** Model version the reference data belongs to. */
  version?: string;
  /** Name of the reference data set. */
  dataset?: string;
  /** Replace the data set's rows instead of appending to them. */
  replace?: boolean;
  /**
   * Identifies the upload (`Idempotency-Key`): an upload with a key already applied to the data
   * set stores nothing. Without it, the server identifies an upload by its body.
   */
  idempotencyKey?: string;
  /** Columns holding the id, timestamp, prediction, score and label (default: the model schema's). */
  idColumn?: string;
  timestampColumn?: string;
  predictionColumn?: string;
  scoreColumn?: string;
  labelColumn?: string;
}

export const contentTypes = {
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
} as const;

type Query = Record<string, string | number | boolean | undefined>;

interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  headers?: Record<string, string>;
  body?: RawBody;
  /**
   * Whether repeating the request is harmless. Idempotent requests are retried after network
   * errors and 5xx; others only after 429/503, where the server did not process them.
   */
  idempotent: boolean;
}

const encoder = new TextEncoder();

/** Typed client of the Vigil HTTP API with retries, backoff and compression; no queueing. */
export class VigilApi {
  readonly url: string;
  readonly #apiKey: string | undefined;
  readonly #policy: RetryPolicy;
  readonly #compression: boolean;
  readonly #timeoutMs: number;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #fetch: typeof globalThis.fetch;

  constructor(options: VigilApiOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new VigilError('invalid_url', `Invalid Vigil server URL '${options.url}'`);
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.url = base.href;
    this.#apiKey = options.apiKey;
    this.#policy = {
      maxRetries: options.maxRetries ?? defaultRetryPolicy.maxRetries,
      baseDelayMs: options.retryBaseDelayMs ?? defaultRetryPolicy.baseDelayMs,
      maxDelayMs: options.retryMaxDelayMs ?? defaultRetryPolicy.maxDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? defaultRetryPolicy.maxRetryAfterMs,
    };
    const compression = options.compression ?? 'auto';
    this.#compression = (compression === 'auto' ? !isLoopback(base) : compression) && canGzip();
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#onRetry = options.onRetry;
    this.#fetch = options.fetch ?? nodeFetch() ?? globalThis.fetch.bind(globalThis);
  }

  /**
   * Sends predictions. Records without `id` get a random one and records without `timestamp` get
   * the current time, so that a retried request never stores a prediction twice.
   */
  ingestPredictions(model: string, records: readonly PredictionRecord[] | RawBody): Promise<IngestResult> {
    const body = isRawBody(records)
      ? records
      : ndjsonBody(records.map((record) => preparePrediction(record)));
    return this.#ingest('predictions', model, body);
  }

  /** Sends ground-truth labels for earlier predictions. */
  ingestLabels(model: string, labels: readonly LabelRecord[] | RawBody): Promise<IngestResult> {
    return this.#ingest('labels', model, isRawBody(labels) ? labels : ndjsonBody(labels));
  }

  /** Sends reference rows, or a CSV / Parquet / JSON / NDJSON body as it is. */
  ingestReference(
    model: string,
    rows: readonly ReferenceRow[] | RawBody,
    options: ReferenceOptions = {},
  ): Promise<IngestResult> {
    const body = isRawBody(rows) ? rows : ndjsonBody(rows);
    const query: Query = {
      version: options.version,
      dataset: options.dataset,
      replace: options.replace === undefined ? undefined : String(options.replace),
      id_column: options.idColumn,
      timestamp_column: options.timestampColumn,
      prediction_column: options.predictionColumn,
      score_column: options.scoreColumn,
      label_column: options.labelColumn,
    };
    const headers =
      options.idempotencyKey === undefined ? undefined : { 'idempotency-key': options.idempotencyKey };
    return this.#ingest('reference', model, body, query, headers);
  }

  createModel(model: CreateModelRequest): Promise<Model> {
    return this.#json({ method: 'POST', path: 'models', body: jsonBody(model), idempotent: false });
  }

  async listModels(): Promise<Model[]> {
    const answer = await this.#json<{ data: Model[] }>({ method: 'GET', path: 'models', idempotent: true });
    return answer.data;
  }

  getModel(model: string): Promise<Model> {
    return this.#json({ method: 'GET', path: `models/${enc(model)}`, idempotent: true });
  }

  createVersion(model: string, version: CreateVersionRequest): Promise<ModelVersion> {
    return this.#json({
      method: 'POST',
      path: `models/${enc(model)}/versions`,
      body: jsonBody(version),
      idempotent: false,
    });
  }

  listPredictions(model: string, query: PredictionQuery = {}): Promise<Page<StoredPrediction>> {
    return this.#json({
      method: 'GET',
      path: `models/${enc(model)}/predictions`,
      query: wireQuery(query),
      idempotent: true,
    });
  }

  /**
   * Compares two versions (or aliases) paired on the predictions both made for the same ids:
   * agreement and estimated performance before labels, each metric's difference (b − a) with a
   * paired interval and test once labelled.
   */
  compare(model: string, query: CompareQuery): Promise<ComparisonResult> {
    return this.#json({
      method: 'GET',
      path: `models/${enc(model)}/compare`,
      query: wireQuery(query),
      idempotent: true,
    });
  }

  /**
   * Points an alias at a version if it passes every check against the version holding the alias
   * now; refused with a {@link VigilError} 409 `promotion_refused` whose `details` are the
   * {@link PromotionCheck}s with their numbers.
   */
  promote(model: string, alias: string, request: PromoteRequest): Promise<PromotionResult> {
    return this.#json({
      method: 'POST',
      path: `models/${enc(model)}/aliases/${enc(alias)}/promote`,
      body: jsonBody(request),
      idempotent: false,
    });
  }

  /**
   * Logs a shadow version's predictions for ids the serving version already logged (at most
   * 10,000 per call). Safe to retry: an id already stored for the version is stored once.
   */
  logShadowPredictions(
    model: string,
    version: string,
    predictions: readonly ShadowPredictionRecord[],
  ): Promise<ShadowIngestResult> {
    return this.#json({
      method: 'POST',
      path: `models/${enc(model)}/shadow-predictions`,
      body: jsonBody({ version, predictions }),
      idempotent: true,
    });
  }

  getPrediction(model: string, id: string): Promise<StoredPrediction> {
    return this.#json({
      method: 'GET',
      path: `models/${enc(model)}/predictions/${enc(id)}`,
      idempotent: true,
    });
  }

  /** Creates a notification channel; a webhook's answer carries its signing secret, once. */
  createChannel(channel: CreateChannelRequest): Promise<Channel> {
    return this.#json({ method: 'POST', path: 'channels', body: jsonBody(channel), idempotent: false });
  }

  async listChannels(): Promise<Channel[]> {
    const answer = await this.#json<{ data: Channel[] }>({
      method: 'GET',
      path: 'channels',
      idempotent: true,
    });
    return answer.data;
  }

  /** `channel` is a name or a numeric id. */
  getChannel(channel: string | number): Promise<Channel> {
    return this.#json({ method: 'GET', path: `channels/${enc(String(channel))}`, idempotent: true });
  }

  updateChannel(channel: string | number, patch: UpdateChannelRequest): Promise<Channel> {
    return this.#json({
      method: 'PATCH',
      path: `channels/${enc(String(channel))}`,
      body: jsonBody(patch),
      idempotent: !patch.rotate_secret,
    });
  }

  async deleteChannel(channel: string | number): Promise<void> {
    await this.#json({ method: 'DELETE', path: `channels/${enc(String(channel))}`, idempotent: true });
  }

  /** Sends a test notification now; the answer says whether the receiver accepted it. */
  testChannel(channel: string | number): Promise<ChannelTestResult> {
    return this.#json({ method: 'POST', path: `channels/${enc(String(channel))}/test`, idempotent: false });
  }

  /** Notification deliveries, newest first, with status, attempts and last error. */
  listDeliveries(query: DeliveryQuery = {}): Promise<Page<Delivery>> {
    return this.#json({
      method: 'GET',
      path: 'deliveries',
      query: wireQuery(query),
      idempotent: true,
    });
  }

  /** Creates an alert rule on a model (its default rules then stop applying). */
  createAlertRule(model: string, rule: AlertRuleRequest): Promise<AlertRule> {
    return this.#json({
      method: 'POST',
      path: `models/${enc(model)}/alert-rules`,
      body: jsonBody(rule),
      idempotent: false,
    });
  }

  async listAlertRules(model: string): Promise<AlertRule[]> {
    const answer = await this.#json<{ data: AlertRule[] }>({
      method: 'GET',
      path: `models/${enc(model)}/alert-rules`,
      idempotent: true,
    });
    return answer.data;
  }

  getAlertRule(model: string, name: string): Promise<AlertRule> {
    return this.#json({
      method: 'GET',
      path: `models/${enc(model)}/alert-rules/${enc(name)}`,
      idempotent: true,
    });
  }

  /** Replaces a rule (renaming it when `rule.name` differs); its open alerts are closed. */
  replaceAlertRule(model: string, name: string, rule: AlertRuleRequest): Promise<AlertRule> {
    return this.#json({
      method: 'PUT',
      path: `models/${enc(model)}/alert-rules/${enc(name)}`,
      body: jsonBody(rule),
      idempotent: true,
    });
  }

  async deleteAlertRule(model: string, name: string): Promise<void> {
    await this.#json({
      method: 'DELETE',
      path: `models/${enc(model)}/alert-rules/${enc(name)}`,
      idempotent: true,
    });
  }

  /**
   * The audit trail, newest first: who changed what and when. Admin keys read every entry;
   * read and write keys only the entries about models.
   */
  listAudit(query: AuditQuery = {}): Promise<Page<AuditEntry>> {
    return this.#json({
      method: 'GET',
      path: 'audit',
      query: wireQuery(query),
      idempotent: true,
    });
  }

  /** Alerts, newest first. */
  listAlerts(query: AlertQuery = {}): Promise<Page<Alert>> {
    return this.#json({
      method: 'GET',
      path: 'alerts',
      query: wireQuery(query),
      idempotent: true,
    });
  }

  /** An alert with its comments. */
  getAlert(id: number): Promise<Alert> {
    return this.#json({ method: 'GET', path: `alerts/${id}`, idempotent: true });
  }

  acknowledgeAlert(id: number, by?: string): Promise<Alert> {
    return this.#json({
      method: 'POST',
      path: `alerts/${id}/ack`,
      body: jsonBody(by === undefined ? {} : { by }),
      idempotent: true,
    });
  }

  commentOnAlert(id: number, body: string, author?: string): Promise<AlertComment> {
    return this.#json({
      method: 'POST',
      path: `alerts/${id}/comments`,
      body: jsonBody(author === undefined ? { body } : { body, author }),
      idempotent: false,
    });
  }

  createSilence(silence: SilenceRequest): Promise<Silence> {
    return this.#json({ method: 'POST', path: 'silences', body: jsonBody(silence), idempotent: false });
  }

  async listSilences(state: 'active' | 'pending' | 'expired' | 'all' = 'all'): Promise<Silence[]> {
    const answer = await this.#json<{ data: Silence[] }>({
      method: 'GET',
      path: 'silences',
      query: { state },
      idempotent: true,
    });
    return answer.data;
  }

  /** Ends a silence now. */
  expireSilence(id: number): Promise<Silence> {
    return this.#json({ method: 'DELETE', path: `silences/${id}`, idempotent: true });
  }

  async listMonitors(model: string): Promise<Monitor[]> {
    const answer = await this.#json<{ data: Monitor[] }>({
      method: 'GET',
      path: `models/${enc(model)}/monitors`,
      idempotent: true,
    });
    return answer.data;
  }

  getMonitor(model: string, name: string): Promise<Monitor> {
    return this.#json({
      method: 'GET',
      path: `models/${enc(model)}/monitors/${enc(name)}`,
      idempotent: true,
    });
  }

  /** Creates a monitor; its history over the stored predictions is queued for evaluation. */
  createMonitor(model: string, monitor: CreateMonitorRequest): Promise<Monitor> {
    return this.#json({
      method: 'POST',
      path: `models/${enc(model)}/monitors`,
      body: jsonBody(monitor),
      idempotent: false,
    });
  }

  /** Enables, disables or redefines a monitor; a new `config` re-evaluates its history. */
  updateMonitor(model: string, name: string, patch: UpdateMonitorRequest): Promise<Monitor> {
    return this.#json({
      method: 'PATCH',
      path: `models/${enc(model)}/monitors/${enc(name)}`,
      body: jsonBody(patch),
      idempotent: true,
    });
  }

  /** Deletes a monitor and its results. */
  async deleteMonitor(model: string, name: string): Promise<void> {
    await this.#json({
      method: 'DELETE',
      path: `models/${enc(model)}/monitors/${enc(name)}`,
      idempotent: true,
    });
  }

  /** One page of monitor results, ordered by window; pass `next_cursor` back as `cursor`. */
  listResults(model: string, query: ResultQuery = {}): Promise<Page<MonitorResult>> {
    return this.#json({
      method: 'GET',
      path: `models/${enc(model)}/results`,
      query: wireQuery(query),
      idempotent: true,
    });
  }

  /** Every result matching `query`, page after page (`limit` sets the page size). */
  async *results(model: string, query: ResultQuery = {}): AsyncGenerator<MonitorResult> {
    let cursor = query.cursor;
    for (;;) {
      const page = await this.listResults(model, cursor === undefined ? query : { ...query, cursor });
      yield* page.data;
      if (page.next_cursor === null || page.data.length === 0) return;
      cursor = page.next_cursor;
    }
  }

  /** A model's charts over time, aggregated by the server to at most `points` buckets. */
  modelSeries(model: string, query: SeriesQuery = {}): Promise<ModelSeries> {
    return this.#json({
      method: 'GET',
      path: `models/${enc(model)}/series`,
      query: wireQuery(query),
      idempotent: true,
    });
  }

  /** Drift heat map: features × time buckets, most drifted first. */
  driftMap(model: string, query: SeriesQuery = {}): Promise<DriftMap> {
    return this.#json({
      method: 'GET',
      path: `models/${enc(model)}/drift-map`,
      query: wireQuery(query),
      idempotent: true,
    });
  }

  /** One feature against its reference: distributions, drift over time, data quality and example rows. */
  featureDetail(model: string, feature: string, query: FeatureQuery = {}): Promise<FeatureDetail> {
    return this.#json({
      method: 'GET',
      path: `models/${enc(model)}/features/${enc(feature)}`,
      query: wireQuery(query),
      idempotent: true,
    });
  }

  /** Starts the demo (the sample model `demo-churn` with history and live traffic); safe to repeat. */
  startDemo(options: DemoOptions = {}): Promise<DemoStarted> {
    return this.#json({ method: 'POST', path: 'demo', body: jsonBody(options), idempotent: true });
  }

  /** Removes everything the demo created; answers the models deleted. */
  async removeDemo(): Promise<string[]> {
    const answer = await this.#json<{ removed: string[] }>({
      method: 'DELETE',
      path: 'demo',
      idempotent: true,
    });
    return answer.removed;
  }

  /** Every model's current status (`GET /api/v1/health`). */
  async modelHealth(): Promise<ModelHealth[]> {
    const answer = await this.#json<{ data: ModelHealth[] }>({
      method: 'GET',
      path: 'health',
      idempotent: true,
    });
    return answer.data;
  }

  /**
   * Deletes a model and all its data for good (admin key). `confirm` must repeat the model's name.
   */
  deleteModel(model: string, confirm: string): Promise<{ deleted: string }> {
    return this.#json({
      method: 'DELETE',
      path: `models/${enc(model)}`,
      query: { confirm },
      idempotent: true,
    });
  }

  /** One page of a reference data set's rows, in the order they were stored. */
  listReferenceRows(
    model: string,
    dataset: string,
    query: { limit?: number; cursor?: string } = {},
  ): Promise<Page<StoredReferenceRow>> {
    return this.#json({
      method: 'GET',
      path: `models/${enc(model)}/reference/${enc(dataset)}/rows`,
      query: { limit: query.limit, cursor: query.cursor },
      idempotent: true,
    });
  }

  /** Every model at a glance: health, alerts, version and a traffic sparkline of the last `hours` (`GET /api/v1/overview`). */
  async overview(options: { hours?: number } = {}): Promise<Overview> {
    return this.#json<Overview>({
      method: 'GET',
      path: 'overview',
      query: { hours: options.hours },
      idempotent: true,
    });
  }

  async listUsers(): Promise<User[]> {
    const answer = await this.#json<{ data: User[] }>({ method: 'GET', path: 'users', idempotent: true });
    return answer.data;
  }

  /** `user` is a numeric id or a user name. */
  getUser(user: string | number): Promise<User> {
    return this.#json({ method: 'GET', path: `users/${enc(String(user))}`, idempotent: true });
  }

  createUser(user: CreateUserRequest): Promise<User> {
    return this.#json({ method: 'POST', path: 'users', body: jsonBody(user), idempotent: false });
  }

  /** Changes a user's role, password or state; the last enabled admin cannot be demoted or disabled (409). */
  updateUser(user: string | number, patch: UpdateUserRequest): Promise<User> {
    return this.#json({
      method: 'PATCH',
      path: `users/${enc(String(user))}`,
      body: jsonBody(patch),
      idempotent: true,
    });
  }

  /** Deletes a user and ends their sessions; the last enabled admin cannot be deleted (409). */
  async deleteUser(user: string | number): Promise<void> {
    await this.#json({ method: 'DELETE', path: `users/${enc(String(user))}`, idempotent: true });
  }

  async listKeys(): Promise<ApiKey[]> {
    const answer = await this.#json<{ data: ApiKey[] }>({ method: 'GET', path: 'keys', idempotent: true });
    return answer.data;
  }

  /** Creates an API key; the answer is the only place the key itself appears. */
  createKey(request: { name: string; scope: ApiKeyScope }): Promise<CreatedApiKey> {
    return this.#json({ method: 'POST', path: 'keys', body: jsonBody(request), idempotent: false });
  }

  /** Revokes a key at once; the last active admin key cannot be revoked (409). */
  async revokeKey(id: number): Promise<void> {
    await this.#json({ method: 'DELETE', path: `keys/${id}`, idempotent: true });
  }

  /** `true` when `GET /healthz` answers 200 (one attempt, no retries). */
  async health(): Promise<boolean> {
    try {
      const response = await this.#fetch(new URL('healthz', this.url), {
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  async #ingest(
    kind: IngestKind,
    model: string,
    body: RawBody,
    query?: Query,
    headers?: Record<string, string>,
  ): Promise<IngestResult> {
    const answer = await this.#json<unknown>({
      method: 'POST',
      path: `models/${enc(model)}/${kind}`,
      query,
      ...(headers ? { headers } : {}),
      body,
      idempotent: true,
    });
    return toIngestResult(answer);
  }

  async #json<T>(spec: RequestSpec): Promise<T> {
    const response = await this.#send(spec);
    const text = await response.text();
    try {
      return (text === '' ? undefined : JSON.parse(text)) as T;
    } catch {
      throw new VigilError('invalid_response', `The server answered ${spec.path} with invalid JSON`);
    }
  }

  /** Sends the request, retrying as the policy allows; resolves with the first 2xx response. */
  async #send(spec: RequestSpec): Promise<Response> {
    const url = new URL(`api/v1/${spec.path}`, this.url);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { ...spec.headers, accept: 'application/json' };
    if (this.#apiKey !== undefined) headers.authorization = `Bearer ${this.#apiKey}`;
    let payload: Uint8Array | undefined;
    if (spec.body) {
      headers['content-type'] = spec.body.contentType;
      const raw = typeof spec.body.body === 'string' ? encoder.encode(spec.body.body) : spec.body.body;
      if (this.#compression && worthCompressing(spec.body.contentType)) {
        payload = await gzip(raw);
        headers['content-encoding'] = 'gzip';
      } else {
        payload = raw;
      }
    }

    for (let attempt = 1; ; attempt++) {
      const retry = attempt - 1;
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method: spec.method,
          headers,
          body: payload as Uint8Array<ArrayBuffer> | undefined,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        if (retry >= this.#policy.maxRetries) {
          throw new VigilNetworkError(
            `Cannot reach the Vigil server at ${this.url}: ${describe(error)}`,
            attempt,
            error,
          );
        }
        await this.#wait(retry, backoffDelay(retry, this.#policy), describe(error));
        continue;
      }
      if (response.ok) return response;

      const status = response.status;
      const overloaded = status === 429 || status === 503;
      const retryable = overloaded || (spec.idempotent && isRetryableStatus(status));
      if (!retryable || retry >= this.#policy.maxRetries) throw await httpError(response, attempt);
      await response.body?.cancel().catch(() => undefined);
      const asked = overloaded ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      const delay =
        asked !== undefined
          ? Math.min(asked, this.#policy.maxRetryAfterMs)
          : backoffDelay(retry, this.#policy);
      await this.#wait(retry, delay, `HTTP ${status}`, status);
    }
  }

  async #wait(retry: number, delayMs: number, reason: string, status?: number): Promise<void> {
    const event: RetryEvent = { retry: retry + 1, delayMs, reason };
    if (status !== undefined) event.status = status;
    try {
      this.#onRetry?.(event);
    } catch {
      // A failing observer must not change the outcome of the request.
    }
    await sleep(delayMs);
  }
}

function isRawBody(value: unknown): value is RawBody {
  return !Array.isArray(value) && typeof value === 'object' && value !== null && 'contentType' in value;
}

function ndjsonBody(records: readonly unknown[]): RawBody {
  return { body: toNdjson(records), contentType: contentTypes.ndjson };
}

function jsonBody(value: unknown): RawBody {
  return { body: JSON.stringify(value), contentType: contentTypes.json };
}

/** Whether the URL names this machine: its loopback name or addresses. */
function isLoopback(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/** Parquet is compressed already; gzip would spend time for nothing. */
function worthCompressing(contentType: string): boolean {
  return !/parquet|octet-stream|gzip|zip/i.test(contentType);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/**
 * A query's options as query-string values, every one the server declares (the option types are
 * its OpenAPI document's); a `Date` as RFC 3339.
 */
function wireQuery(query: object): Query {
  const wire: Query = {};
  for (const [key, value] of Object.entries(query)) {
    wire[key] = value instanceof Date ? value.toISOString() : (value as Query[string]);
  }
  return wire;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

async function httpError(response: Response, attempts: number): Promise<VigilHttpError> {
  const text = await response.text().catch(() => '');
  let code = `http_${response.status}`;
  let message = text.trim() || response.statusText || `HTTP ${response.status}`;
  let details: unknown;
  try {
    const body = JSON.parse(text) as Partial<{ error: unknown; message: unknown; details: unknown }>;
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
    details = body.details;
  } catch {
    // Not a JSON error body (a proxy's page, for instance): keep the text.
  }
  return new VigilHttpError(response.status, code, `HTTP ${response.status}: ${message}`, details, attempts);
}

function toIngestResult(answer: unknown): IngestResult {
  const value = answer as Partial<IngestResult> | undefined;
  if (typeof value?.accepted !== 'number' || !Array.isArray(value.rejected)) {
    throw new VigilError(
      'invalid_response',
      'The server answered an ingestion request without {accepted, rejected}',
    );
  }
  const result: IngestResult = { accepted: value.accepted, rejected: value.rejected };
  if (typeof value.quality_violations === 'number') result.quality_violations = value.quality_violations;
  if (typeof value.violations_by_kind === 'object' && value.violations_by_kind !== null) {
    result.violations_by_kind = value.violations_by_kind;
  }
  return result;
}
