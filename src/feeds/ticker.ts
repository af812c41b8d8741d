/**
 * Runs a feed's periodic task: one run per interval, never two at once (a slow sample skips a beat
 * instead of piling up), errors handed to the caller, and an unref'd timer so a feed alone never
 * keeps a process alive. With `immediate`, the first run starts at once instead of after one interval.
 */

export interface Ticker {
  stop(): void;
}

export function startTicker(
  intervalMs: number,
  task: () => void | Promise<void>,
  onError: (error: unknown) => void,
  options: { immediate?: boolean } = {},
): Ticker {
  if (!(intervalMs > 0)) throw new Error(`intervalMs must be above 0, got ${intervalMs}`);
  let running = false;
  let stopped = false;

  async function runOnce(): Promise<void> {
    running = true;
    try {
      await task();
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  }

  function onInterval(): void {
    if (running || stopped) return;
    void runOnce();
  }

  const timer = setInterval(onInterval, intervalMs);
  timer.unref();
  if (options.immediate) void runOnce();
  return {
    stop(): void {
      stopped = true;
      clearInterval(timer);
    },
  };
}
