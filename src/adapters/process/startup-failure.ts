/**
 * Ends a process whose start-up failed (a configuration error, a strict cache that cannot be reached):
 * one line on stderr, exit code 1 — the same on every runtime, never an uncaught stack trace.
 */
export function exitOnStartupFailure(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err)
  process.stderr.write(`start-up failed: ${message.replace(/\s*\n\s*/g, ' ')}\n`)
  process.exit(1)
}
