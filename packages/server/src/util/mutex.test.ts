import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { PriorityMutex } from './mutex.js';

/** A task that records its start and finishes when `release` is called. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const finished = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    task: async () => {
      log.push(name);
      await finished;
      return name;
    },
    release: () => release(),
  };
}

const ticks = () => new Promise((resolve) => setImmediate(resolve));

describe('PriorityMutex', () => {
  it('runs one task at a time, ordinary tasks in arrival order', async () => {
    const lock = new PriorityMutex();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const results = [lock.run(a.task), lock.run(b.task)];
    await ticks();
    expect(log).toEqual(['a']);
    a.release();
    await ticks();
    expect(log).toEqual(['a', 'b']);
    b.release();
    expect(await Promise.all(results)).toEqual(['a', 'b']);
  });

  it('starts an urgent task before the ordinary tasks waiting, but never twice in a row while one waits', async () => {
    const lock = new PriorityMutex();
    const log: string[] = [];
    const holder = gate(log, 'holder');
    const tasks = ['o1', 'o2', 'u1', 'u2'].map((name) => gate(log, name));
    const [o1, o2, u1, u2] = tasks;
    const results = [
      lock.run(holder.task),
      lock.run(o1!.task),
      lock.run(o2!.task),
      lock.runUrgent(u1!.task),
      lock.runUrgent(u2!.task),
    ];
    await ticks();
    expect(lock.waiting).toBe(4);
    for (const next of [holder, u1!, o1!, u2!, o2!]) {
      next.release();
      await ticks();
    }
    expect(log).toEqual(['holder', 'u1', 'o1', 'u2', 'o2']);
    expect(await Promise.all(results)).toEqual(['holder', 'o1', 'o2', 'u1', 'u2']);
  });

  it('passes failures to their caller and goes on with the next task', async () => {
    const lock = new PriorityMutex();
    const failing = lock.run(async () => {
      throw new Error('refused');
    });
    const next = lock.runUrgent(async () => 'next');
    await expect(failing).rejects.toThrow('refused');
    expect(await next).toBe('next');
  });

  it("runs a queued task in its caller's async context, not in the context of the task that released the lock", async () => {
    const lock = new PriorityMutex();
    const context = new AsyncLocalStorage<string>();
    let release!: () => void;
    const holder = context.run('holder', () =>
      lock.run(async () => {
        const seen = context.getStore();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return seen;
      }),
    );
    const queued = context.run('caller', () => lock.run(async () => context.getStore()));
    const urgent = context.run('urgent caller', () => lock.runUrgent(async () => context.getStore()));
    await ticks();
    release();
    expect(await Promise.all([holder, queued, urgent])).toEqual(['holder', 'caller', 'urgent caller']);
  });
});
