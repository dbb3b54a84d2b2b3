/**
 * Everything the bench starts registers how to stop it here; `runCleanup` runs the list newest first,
 * each step under a deadline, on success, on failure and on Ctrl-C alike.
 */
type Step = { name: string; fn: () => Promise<void> | void };

const steps: Step[] = [];
let running: Promise<void> | null = null;

export function onCleanup(name: string, fn: () => Promise<void> | void): () => void {
  const step = { name, fn };
  steps.push(step);
  return () => {
    const i = steps.indexOf(step);
    if (i >= 0) steps.splice(i, 1);
  };
}

export function runCleanup(log: (s: string) => void = console.error): Promise<void> {
  running ??= (async () => {
    while (steps.length) {
      const step = steps.pop()!;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(step.fn),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timed out after 15 s')), 15_000);
          }),
        ]);
      } catch (e) {
        log(`[bench] cleanup "${step.name}" failed: ${e instanceof Error ? e.message : e}`);
      } finally {
        clearTimeout(timer);
      }
    }
  })();
  return running;
}

export function cleanupOnSignals() {
  // Ctrl-C reaches this process twice (from the terminal and relayed by tsx): later signals must not kill
  // it half-way through the clean-up, so the handler stays installed and starts the clean-up only once.
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      console.error(`[bench] ${sig}: stopping everything the bench started`);
      void runCleanup().finally(() => process.exit(130));
    });
  }
}
