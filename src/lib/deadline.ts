/**
 * Settles as `work` does, or rejects once `ms` have passed, whichever comes first; the timer is cleared
 * either way. It does not stop `work`: whatever holds a socket needs its own deadline and cleanup too,
 * this only bounds how long the caller waits (a whole operation made of several bounded steps).
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: string | (() => Error)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(typeof onTimeout === 'string' ? new Error(onTimeout) : onTimeout()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
