/** Resolves after `ms`, or as soon as `signal` aborts. */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });

/**
 * Runs `task` every `ms` without keeping the process alive. A throwing task is reported, not
 * rethrown: an exception escaping a timer would take the whole process down.
 */
export const every = (ms: number, task: () => void, onError: (error: unknown) => void): NodeJS.Timeout => {
  const timer = setInterval(() => {
    try {
      task();
    } catch (error) {
      onError(error);
    }
  }, ms);
  timer.unref();
  return timer;
};
