/** A signal repeated within this time is the same request (see firstSignal). */
const REPEAT_GRACE_MS = 2_000;

/**
 * Resolves with the first of `signals`. Ctrl-C under `npm start` reaches the worker twice: once
 * from the terminal (the whole process group) and once relayed by npm. So a repeat
 * within REPEAT_GRACE_MS is ignored, and the shutdown stays clean; a later one means the user
 * insists: `onForce` runs and the process exits at once, which is safe, since every step commits
 * on its own (docs/crash-safety.md).
 */
export function firstSignal(signals: NodeJS.Signals[], onForce: () => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: number | undefined;
    const onSignal = (s: NodeJS.Signals) => {
      if (first === undefined) {
        first = Date.now();
        resolve(s);
      } else if (Date.now() - first > REPEAT_GRACE_MS) {
        onForce();
        process.exit(130);
      }
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
