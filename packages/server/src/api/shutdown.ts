/**
 * Closing the HTTP server promptly. Node's `server.close()` closes the keep-alive sockets
 * that are idle at that moment, but a socket still answering (a streamed download, an
 * ingest request) goes back to keep-alive once its answer is sent, and the close then waits
 * on it until the keep-alive timeout. Here, once closing starts, every socket is closed as
 * soon as it has no answer in progress; requests still in progress after the grace period
 * lose their connection. Either way a client gets its whole answer or none: an ingest
 * request is acknowledged only after its records are durable, so a request cut short has no
 * acknowledgement and its client retries it.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export function closeConnectionsOnShutdown(app: FastifyInstance, graceMs: number): void {
  const server = app.server;
  /** Every open socket, with the number of its answers not yet sent in full. */
  const answering = new Map<Socket, number>();
  let closing = false;

  const closeIfIdle = (socket: Socket) => {
    if (closing && answering.get(socket) === 0) socket.destroySoon();
  };
  server.on('connection', (socket: Socket) => {
    answering.set(socket, 0);
    socket.once('close', () => answering.delete(socket));
  });
  server.on('request', (request, response) => {
    const socket = request.socket;
    if (!answering.has(socket)) return;
    answering.set(socket, answering.get(socket)! + 1);
    // 'close' follows the answer's last byte, or the socket's end when it was cut short.
    response.once('close', () => {
      const count = answering.get(socket);
      if (count === undefined) return;
      answering.set(socket, count - 1);
      closeIfIdle(socket);
    });
  });

  app.addHook('preClose', (done) => {
    closing = true;
    for (const socket of answering.keys()) closeIfIdle(socket);
    const deadline = setTimeout(() => {
      if (answering.size === 0) return;
      app.log.warn(
        { connections: answering.size, graceMs },
        'shutdown grace period over: closing connections with requests in progress (their clients get no answer)',
      );
      for (const socket of answering.keys()) socket.destroy();
    }, graceMs);
    // The server's own 'close' comes once every connection is gone.
    server.once('close', () => clearTimeout(deadline));
    done();
  });
}
