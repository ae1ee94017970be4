/** Log levels in increasing verbosity. */
export type LogLevel = 'quiet' | 'info' | 'verbose';

/** A minimal levelled logger writing to stderr; library code takes one as an option. */
export interface Logger {
  /** Always printed, even with --quiet. */
  error(message: string): void;
  /** Printed unless --quiet. */
  warn(message: string): void;
  /** Printed unless --quiet. */
  info(message: string): void;
  /** Printed only with --verbose. */
  debug(message: string): void;
}

/** A logger that prints to stderr according to `level`. */
export function createLogger(level: LogLevel = 'info'): Logger {
  const write = (prefix: string, message: string): void => {
    process.stderr.write(`${prefix}${message}\n`);
  };
  return {
    error: (m) => write('error: ', m),
    warn: (m) => level !== 'quiet' && write('warning: ', m),
    info: (m) => level !== 'quiet' && write('', m),
    debug: (m) => level === 'verbose' && write('debug: ', m),
  };
}

/** A logger that drops everything (library default). */
export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};
