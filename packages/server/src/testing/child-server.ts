/**
 * Runs a Vigil server as a separate process for crash tests: configuration from the
 * environment, and one line `READY <url>` on stdout once it listens.
 */
import { loadConfig } from '../config.js';
import { runServer } from '../server.js';

const server = await runServer(loadConfig(process.env, { printAdminKey: false }));
process.stdout.write(`READY ${server.url}\n`);
