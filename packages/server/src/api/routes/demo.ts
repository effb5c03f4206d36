import type { AppContext } from '../../app.js';
import { auditorFor } from '../../audit/index.js';
import { DEFAULT_DEMO_OPTIONS, MAX_DEMO_HISTORY } from '../../demo/index.js';
import { BadRequestError } from '../../errors.js';
import { ErrorBody } from '../schemas/common.js';
import { DemoRemoved, DemoStarted, DemoState, StartDemoBody } from '../schemas/demo.js';
import type { TypedApp } from '../typed-app.js';

export function registerDemoRoutes(app: TypedApp, context: AppContext): void {
  const { demo } = context;
  const audit = { store: context.store, now: context.now };

  app.get(
    '/api/v1/demo',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['demo'],
        summary: 'Whether the demo is installed',
        response: { 200: DemoState },
      },
    },
    async (request) => demo.status(request.auth.projectId),
  );

  app.post(
    '/api/v1/demo',
    {
      config: {
        scope: 'write',
        audit: {
          exempt:
            'the demo records each change it makes as the operation it is: the model, version and monitor creates, the alias sets and removal',
        },
      },
      schema: {
        tags: ['demo'],
        summary: 'Start the demo',
        description:
          'Registers the sample model `demo-churn` (a churn classifier with ten features) with its training set, ' +
          'backfills the last `hours` of generated traffic with a drift episode, a data-quality incident and late ' +
          'labels, and streams new predictions while the server runs. Its alerts fire within a minute. ' +
          'Answers 201 when created, 200 when the demo already existed.',
        body: StartDemoBody,
        response: {
          200: DemoStarted,
          201: DemoStarted,
          409: ErrorBody.describe('A model named `demo` exists that the demo did not create.'),
        },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const options = {
        hours: body.hours ?? DEFAULT_DEMO_OPTIONS.hours,
        ratePerHour: body.rate_per_hour ?? DEFAULT_DEMO_OPTIONS.ratePerHour,
        seed: body.seed ?? DEFAULT_DEMO_OPTIONS.seed,
      };
      if (options.hours * options.ratePerHour > MAX_DEMO_HISTORY) {
        throw new BadRequestError(
          `body: hours × rate_per_hour is ${options.hours * options.ratePerHour}; the demo backfills at most ${MAX_DEMO_HISTORY} predictions (e.g. 48 hours at 300 per hour).`,
        );
      }
      const status = await demo.start(request.auth.projectId, options, auditorFor(audit, request));
      reply.status(status.created ? 201 : 200);
      return status;
    },
  );

  app.delete(
    '/api/v1/demo',
    {
      config: {
        scope: 'write',
        audit: { exempt: 'removing the demo records each model it deletes as a model delete' },
      },
      schema: {
        tags: ['demo'],
        summary: 'Remove the demo',
        description:
          'Stops the stream and deletes every model the demo created, with all their data and alerts.',
        response: { 200: DemoRemoved },
      },
    },
    async (request) => ({ removed: await demo.remove(request.auth.projectId, auditorFor(audit, request)) }),
  );
}
