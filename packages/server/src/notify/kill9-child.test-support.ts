/**
 * A server process for the outbox crash test: it starts, makes sure two webhook channels point
 * at `VIGIL_TEST_RECEIVER`, enqueues `VIGIL_TEST_NOTIFICATIONS` notifications to each (the same
 * dedup keys at every start), and prints `READY <url>`.
 */
import { loadConfig } from '../config.js';
import { startServer } from '../server.js';
import { driftNotification } from './sample.test-support.js';

const server = await startServer(loadConfig(process.env, { printAdminKey: false }));
const { store } = server;
const projectId = (await store.ensureProject('default')).id;
const count = Number(process.env.VIGIL_TEST_NOTIFICATIONS);
for (const name of ['a', 'b']) {
  const channel =
    (await store.channels.getByName(projectId, name)) ??
    (await store.channels.create({
      projectId,
      name,
      type: 'webhook',
      config: { url: `${process.env.VIGIL_TEST_RECEIVER}/${name}`, secret: 'whsec_kill9_secret_0123456789' },
      enabled: true,
    }));
  for (let i = 0; i < count; i++) {
    await server.app.notifications.enqueue(channel.id, driftNotification(), `${name}-${i}`);
  }
}
process.stdout.write(`READY ${server.url}\n`);
