import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalesce.ts';

describe('Coalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('does the work once for all the pokes that arrive within the delay', async () => {
    const work = vi.fn(async () => undefined);
    const c = new Coalescer(work, 50);
    for (let i = 0; i < 100; i++) c.poke();
    expect(work).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(50);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('never runs twice at once, and runs once more after a run that was poked meanwhile', async () => {
    let running = 0;
    let most = 0;
    let finish: () => void = () => undefined;
    const work = vi.fn(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      running--;
    });
    const c = new Coalescer(work, 10);
    c.poke();
    await vi.advanceTimersByTimeAsync(10);
    expect(work).toHaveBeenCalledTimes(1);
    c.poke();
    c.poke();
    await vi.advanceTimersByTimeAsync(100);
    expect(work).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(10);
    expect(work).toHaveBeenCalledTimes(2);
    finish();
    await c.idle();
    expect(most).toBe(1);
  });

  it('does nothing after stop, and stop waits for the run under way', async () => {
    let done = false;
    const c = new Coalescer(async () => {
      await new Promise((r) => setTimeout(r, 20));
      done = true;
    }, 5);
    c.poke();
    await vi.advanceTimersByTimeAsync(5);
    const stopped = c.stop();
    await vi.advanceTimersByTimeAsync(20);
    await stopped;
    expect(done).toBe(true);
    const work = vi.fn(async () => undefined);
    const d = new Coalescer(work, 5);
    d.poke();
    await d.stop();
    await vi.advanceTimersByTimeAsync(50);
    expect(work).not.toHaveBeenCalled();
  });
});
