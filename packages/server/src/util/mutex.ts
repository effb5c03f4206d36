import { AsyncResource } from 'node:async_hooks';

/** Runs async tasks one at a time, in arrival order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

const settled = () => undefined;

/**
 * A lock with two kinds of holders: `shared` tasks run together, `run` tasks alone. Each task
 * waits for the exclusive tasks queued before it; an exclusive task also waits for every shared
 * task queued before it. `run` has `Mutex.run`'s signature, so exclusive users need no change.
 */
export class SharedLock {
  private exclusiveTail: Promise<unknown> = Promise.resolve();
  private readonly sharedTasks = new Set<Promise<unknown>>();

  run<T>(task: () => Promise<T>): Promise<T> {
    const before = Promise.all([this.exclusiveTail, ...this.sharedTasks]);
    const result = before.then(task, task);
    this.exclusiveTail = result.then(settled, settled);
    return result;
  }

  shared<T>(task: () => Promise<T>): Promise<T> {
    const result = this.exclusiveTail.then(task, task);
    const done = result.then(settled, settled);
    this.sharedTasks.add(done);
    void done.then(() => this.sharedTasks.delete(done));
    return result;
  }
}

/**
 * A mutex whose urgent tasks go before the ordinary tasks waiting, in arrival order within each
 * kind. Urgent tasks never run twice in a row while an ordinary task waits, so an urgent task
 * waits for at most the holder and one ordinary task, and ordinary tasks are never starved.
 * `run` has `Mutex.run`'s signature (ordinary tasks).
 */
export class PriorityMutex {
  private held = false;
  private lastWasUrgent = false;
  private readonly urgent: (() => void)[] = [];
  private readonly ordinary: (() => void)[] = [];

  run<T>(task: () => Promise<T>): Promise<T> {
    return this.enqueue(task, this.ordinary);
  }

  runUrgent<T>(task: () => Promise<T>): Promise<T> {
    return this.enqueue(task, this.urgent);
  }

  /** Tasks waiting for the lock (not counting its holder). */
  get waiting(): number {
    return this.urgent.length + this.ordinary.length;
  }

  private enqueue<T>(task: () => Promise<T>, queue: (() => void)[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Bound to the caller's async context: a queued task starts from whichever task releases
      // the lock, and must still see its own caller's AsyncLocalStorage (e.g. the audit
      // observation of the request whose write it is), as `Mutex`'s promise chain does.
      queue.push(
        AsyncResource.bind(() => {
          // As `Mutex`: the task starts on a later tick, never inside the caller's `run`.
          const result = Promise.resolve().then(task);
          result.then(resolve, reject);
          void result.then(settled, settled).then(() => this.release());
        }),
      );
      if (!this.held) this.next();
    });
  }

  private release(): void {
    this.held = false;
    this.next();
  }

  private next(): void {
    const urgent = this.urgent.length > 0 && (!this.lastWasUrgent || this.ordinary.length === 0);
    const start = urgent ? this.urgent.shift() : this.ordinary.shift();
    if (!start) return;
    this.held = true;
    this.lastWasUrgent = urgent;
    start();
  }
}
