/**
 * Champion / challenger routes: the paired comparison of two versions on live traffic, and the
 * shadow predictions a second version logs for ids the serving version already logged.
 */
import { loadModel } from '../api/load-model.js';
import { timeParam } from '../api/query-params.js';
import { ErrorBody } from '../api/schemas/common.js';
import {
  CompareQuery,
  ComparisonResult,
  ShadowIngestResult,
  ShadowPredictionBatch,
} from '../api/schemas/compare.js';
import { ModelParams } from '../api/schemas/models.js';
import type { TypedApp } from '../api/typed-app.js';
import type { AppContext } from '../app.js';
import { BadRequestError } from '../errors.js';
import { outcome, RecordError, readTimestamp } from '../ingest/normalize.js';
import type { ShadowPredictionInput } from '../storage/comparison.js';
import { ComparisonService } from './service.js';

export function registerComparisonRoutes(
  app: TypedApp,
  context: AppContext,
  now: () => number = Date.now,
): void {
  const service = new ComparisonService(context.store, now);

  app.get(
    '/api/v1/models/:model/compare',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['registry'],
        summary: 'Compare two versions paired, on the predictions both made for the same ids',
        description:
          'Champion / challenger on live traffic. The two versions (each a version name or an alias) are paired on prediction id: ' +
          "each side is the version's served prediction for the id, else its shadow prediction (POST …/shadow-predictions). " +
          'Per window and over the period: how often they agree and, for binary classifiers, the estimated performance of each (CBPE) ' +
          'before labels arrive; with labels, each performance metric of the task with the difference b − a, its paired interval and a paired test ' +
          '(McNemar for accuracy, DeLong for ROC AUC, a paired bootstrap otherwise). ' +
          'Counts cover every pair; DeLong and the bootstrap use at most 10,000 labelled pairs, chosen by a hash of the prediction id. ' +
          '404: unknown model, version or alias; 400: the same version twice or a bad period; 422 `no_overlap`: no prediction id predicted by both in the period.',
        params: ModelParams,
        querystring: CompareQuery,
        response: {
          200: ComparisonResult,
          422: ErrorBody.describe('`no_overlap`: the two versions share no prediction id in the period.'),
        },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const { a, b, window, confidence } = request.query;
      return service.compare(model, {
        a,
        b,
        fromMicros: timeParam('from', request.query.from),
        toMicros: timeParam('to', request.query.to),
        window,
        confidence,
      });
    },
  );

  app.post(
    '/api/v1/models/:model/shadow-predictions',
    {
      config: {
        scope: 'write',
        audit: { exempt: 'ingestion of shadow predictions: data, not configuration' },
      },
      schema: {
        tags: ['ingestion'],
        summary: "Log a shadow (challenger) version's predictions for ids the serving version logged",
        description:
          'A model holds one served prediction per id; a second version that predicts the same requests in shadow logs its ' +
          'predictions here, keyed by id and version, for the paired comparison (GET …/compare). Shadow predictions do not ' +
          'count as traffic and do not feed monitors. The batch is all-or-nothing: a bad record is a 400 naming it. ' +
          'Re-sending the same ids for the same version stores them once (the first kept); so does a shadow prediction for an id ' +
          'the same version already served. A 200 means every accepted record is durably stored.',
        params: ModelParams,
        body: ShadowPredictionBatch,
        response: { 200: ShadowIngestResult },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const { version, predictions } = request.body;
      const nowMicros = now() * 1000;
      const seen = new Set<string>();
      const rows: ShadowPredictionInput[] = [];
      predictions.forEach((record, index) => {
        try {
          if (seen.has(record.id)) return;
          seen.add(record.id);
          const predicted = outcome(record.prediction, 'prediction', model.task, true);
          rows.push({
            id: record.id,
            timestampMicros: readTimestamp(record.timestamp, nowMicros),
            prediction: predicted.text!,
            predictionNumber: predicted.number,
            score: record.score ?? null,
            scores: record.scores ?? null,
          });
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          throw new BadRequestError(`predictions[${index}] (id "${record.id}"): ${error.message}.`, {
            index,
            id: record.id,
          });
        }
      });
      const accepted = await context.store.comparison.insertShadowPredictions(model.id, version, rows);
      return { accepted, duplicates: predictions.length - accepted };
    },
  );
}
