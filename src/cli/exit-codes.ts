/** Process exit codes of every mre-video command (the contract scripts rely on). */
export const EXIT = {
  /** The run finished; some clips may have failed. */
  OK: 0,
  /** Fatal: no inputs, unreadable model, unwritable output; --strict with a failed clip. */
  FATAL: 1,
  /** Bad flags or option values. */
  USAGE: 2,
  /** A quality gate failed (validate). */
  GATE: 3,
  /** Interrupted by SIGINT. */
  SIGINT: 130,
  /** Interrupted by SIGTERM. */
  SIGTERM: 143,
} as const;
