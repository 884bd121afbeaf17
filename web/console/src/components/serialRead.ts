/**
 * A page section's read that runs one at a time: a read asked for while one is on its way runs
 * once more after it, so the section ends up showing the latest state asked for. `load` shows
 * its own result or error; nothing runs once `signal` is aborted.
 */
export function serialRead(load: () => Promise<void>, signal: AbortSignal): () => Promise<void> {
  let again = false;
  let reading: Promise<void> | undefined;
  const read = (): Promise<void> => {
    if (signal.aborted) return Promise.resolve();
    if (reading) {
      again = true;
      return reading;
    }
    reading = load().finally(() => {
      reading = undefined;
      if (again) {
        again = false;
        void read();
      }
    });
    return reading;
  };
  return read;
}
