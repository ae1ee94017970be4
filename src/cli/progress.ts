/** Width of the progress bar in characters. */
const BAR_WIDTH = 24;

/** A progress line on stderr, drawn only when stderr is a terminal. */
export interface Progress {
  update(done: number, total: number, label: string): void;
  end(): void;
}

/** A progress bar when `enabled` and stderr is a TTY; otherwise it does nothing. */
export function createProgress(enabled: boolean): Progress {
  const tty = enabled && process.stderr.isTTY === true;
  let drawn = false;
  return {
    update(done, total, label) {
      if (!tty) return;
      const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
      const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
      const room = Math.max(10, (process.stderr.columns ?? 80) - BAR_WIDTH - 20);
      const name = label.length > room ? `…${label.slice(-room + 1)}` : label;
      process.stderr.write(`\r\x1b[K[${bar}] ${done}/${total} ${name}`);
      drawn = true;
    },
    end() {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}
