/**
 * The Arrow reader decodes a stream's metadata (flatbuffers) without verifying it, and a few
 * damaged bytes there can make it loop or allocate until the process runs out of memory. So
 * every Arrow body is first decoded in a worker thread with a small heap and a time limit:
 * a body that kills or stalls its worker is answered with a 400, and the server goes on.
 * The server then reads the body itself (decoding metadata is cheap; the columns are views).
 *
 * The body's memory is handed to the worker and back (transferred, not copied): a body of a
 * few megabytes costs no copy and no garbage on its way through the guard.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { BadRequestError } from '../errors.js';

/** Heap of a guard worker; far more than any real stream's metadata needs. */
const WORKER_HEAP_MB = 64;
/** Time one body may take to decode in the worker. */
const DECODE_TIMEOUT_MS = 5000;
/** Workers at most: more bodies at once wait for one (starting a worker costs far more than a decode). */
const MAX_WORKERS = 2;

/**
 * The reader's single-file build (the same version as the package's modules): a worker loads
 * it in about a sixth of the CPU time that the package's few hundred modules take.
 */
const arrowModule = createRequire(import.meta.url).resolve('apache-arrow/Arrow.esnext.min');

/** Decodes the stream and touches every column chunk and dictionary, as the reader will. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { tableFromIPC } = require(workerData.arrowModule);
parentPort.on('message', ({ buffer, length }) => {
  const back = [buffer];
  try {
    const table = tableFromIPC(new Uint8Array(buffer, 0, length));
    let chunks = 0;
    const walk = (data, depth) => {
      if (depth > 64) throw new Error('columns nest more than 64 levels deep');
      chunks++;
      if (data.dictionary) for (const d of data.dictionary.data) walk(d, depth + 1);
      for (const child of data.children ?? []) walk(child, depth + 1);
    };
    table.schema.fields.forEach((_, i) => { for (const data of table.getChildAt(i)?.data ?? []) walk(data, 0); });
    parentPort.postMessage({ ok: true, buffer, rows: table.numRows, chunks }, back);
  } catch (error) {
    parentPort.postMessage({ ok: false, buffer, message: String(error && error.message ? error.message : error) }, back);
  }
});
`;

type Answer = { ok: true; buffer: ArrayBuffer } | { ok: false; message: string };

export class ArrowGuard {
  private readonly idle: Worker[] = [];
  private workers = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  /**
   * Throws a 400 when the body cannot be decoded safely; else resolves with the body's bytes to
   * read. `body` itself is unusable afterwards: its memory went to the worker and came back.
   */
  async check(body: Buffer): Promise<Buffer> {
    const worker = await this.acquire();
    const length = body.length;
    const answer = await this.decode(worker, ownBuffer(body), length);
    if (!answer.ok) {
      throw new BadRequestError(
        `The body is not a usable Arrow IPC stream: ${answer.message.replace(/\.$/, '')}.`,
      );
    }
    return Buffer.from(answer.buffer, 0, length);
  }

  private async acquire(): Promise<Worker> {
    for (;;) {
      const worker = this.idle.pop();
      if (worker) return worker;
      if (this.workers < MAX_WORKERS) {
        this.workers++;
        return this.spawn();
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Gives a worker back, or retires it after a failure; either way the next body may go. */
  private release(worker: Worker, reusable: boolean): void {
    if (reusable && !this.closed) {
      this.idle.push(worker);
    } else {
      this.workers--;
      void worker.terminate();
    }
    this.waiting.shift()?.();
  }

  private decode(worker: Worker, buffer: ArrayBuffer, length: number): Promise<Answer> {
    return new Promise<Answer>((resolve) => {
      let done = false;
      const finish = (answer: Answer, reusable: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onFailure);
        worker.off('exit', onFailure);
        this.release(worker, reusable);
        resolve(answer);
      };
      const onMessage = (answer: Answer | { ok: false; message: string; buffer: ArrayBuffer }) =>
        finish(answer, true);
      const onFailure = () =>
        finish(
          { ok: false, message: 'decoding its metadata exceeded the memory allowed; the stream is damaged' },
          false,
        );
      const timer = setTimeout(
        () =>
          finish(
            {
              ok: false,
              message: `decoding its metadata took over ${DECODE_TIMEOUT_MS / 1000} s; the stream is damaged`,
            },
            false,
          ),
        DECODE_TIMEOUT_MS,
      );
      worker.on('message', onMessage);
      worker.once('error', onFailure);
      worker.once('exit', onFailure);
      worker.postMessage({ buffer, length }, [buffer]);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { arrowModule },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16 },
    });
    worker.unref();
    return worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((worker) => worker.terminate()));
  }
}

/**
 * Memory holding exactly the body, to transfer: the body's own when it has it alone (a body
 * gathered from several chunks does), else a copy (a body that is a view into a larger pool).
 */
function ownBuffer(body: Buffer): ArrayBuffer {
  const buffer = body.buffer;
  if (buffer instanceof ArrayBuffer && body.byteOffset === 0 && body.byteLength === buffer.byteLength) {
    return buffer;
  }
  const copy = new ArrayBuffer(body.length);
  new Uint8Array(copy).set(body);
  return copy;
}
