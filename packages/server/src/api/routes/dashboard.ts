import type { AppContext } from '../../app.js';
import type { SeriesQuery as ServiceQuery } from '../../dashboard/index.js';
import { loadModel } from '../load-model.js';
import { timeParam } from '../query-params.js';
import {
  DriftMap,
  FeatureDetail,
  FeatureParams,
  FeatureQuery,
  ModelSeries,
  SeriesQuery,
} from '../schemas/dashboard.js';
import { ModelParams } from '../schemas/models.js';
import type { TypedApp } from '../typed-app.js';

function seriesQuery(q: {
  from?: string | undefined;
  to?: string | undefined;
  points: number;
  version?: string | undefined;
  segment?: string | undefined;
}): ServiceQuery {
  return {
    fromMicros: timeParam('from', q.from),
    toMicros: timeParam('to', q.to),
    points: q.points,
    version: q.version,
    segment: q.segment,
  };
}

const RANGE_NOTE =
  'Buckets are aligned to the Unix epoch; `from` is rounded down and `to` up to whole steps (see `step_seconds`).';

export function registerDashboardRoutes(app: TypedApp, context: AppContext): void {
  const { dashboard } = context;

  app.get(
    '/api/v1/models/:model/series',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['dashboard'],
        summary: "A model's charts over time",
        description: `Everything the model page draws, in one answer: traffic with label coverage, the prediction distribution, measured and estimated performance with bands and thresholds, and data-quality violations, aggregated by the server into at most \`points\` buckets. ${RANGE_NOTE}`,
        params: ModelParams,
        querystring: SeriesQuery,
        response: { 200: ModelSeries },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      return dashboard.modelSeries(model, seriesQuery(request.query));
    },
  );

  app.get(
    '/api/v1/models/:model/drift-map',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['dashboard'],
        summary: 'Feature drift heat map',
        description: `Features × time buckets: each cell holds the highest drift score of the bucket's windows, its threshold, their ratio (above 1 breaches) and the worst status. Features are sorted most drifted first; a bucket is never narrower than the drift monitor's window. ${RANGE_NOTE}`,
        params: ModelParams,
        querystring: SeriesQuery,
        response: { 200: DriftMap },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      return dashboard.driftMap(model, seriesQuery(request.query));
    },
  );

  app.get(
    '/api/v1/models/:model/features/:feature',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['dashboard'],
        summary: 'One feature: distribution against the reference, drift and data quality',
        description: `The reference and current distributions on the same bins (numbers) or categories, the drift score over time with its threshold, missing values and violations over time, and the newest example rows. The current distribution covers the range, or \`current_from\`–\`current_to\` (one window, say); the drift buckets are never narrower than the drift monitor's window. ${RANGE_NOTE}`,
        params: FeatureParams,
        querystring: FeatureQuery,
        response: { 200: FeatureDetail },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      return dashboard.featureDetail(model, request.params.feature, {
        ...seriesQuery(request.query),
        dataset: request.query.dataset,
        currentFromMicros: timeParam('current_from', request.query.current_from),
        currentToMicros: timeParam('current_to', request.query.current_to),
      });
    },
  );
}
