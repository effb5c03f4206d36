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
