/** Error codes; each maps to an exit code in the CLI. */
export type MreErrorCode =
  | 'USAGE'
  | 'INPUT'
  | 'CLIP'
  | 'MODEL'
  | 'OUTPUT'
  | 'BACKEND'
  | 'DATA'
  | 'INTERNAL';

/**
 * The one error type of mre-video. `code` says what kind of failure it is,
 * `file` names the file concerned (when there is one), `cause` keeps the
 * underlying error.
 */
export class MreError extends Error {
  readonly code: MreErrorCode;
  readonly file: string | undefined;

  constructor(
    code: MreErrorCode,
    message: string,
    options: { file?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'MreError';
    this.code = code;
    this.file = options.file;
  }
}

/** A one-line description of any thrown value, for rows and logs. */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim();
}
