import type { Argv } from 'yargs';

/** A command handler resolves to the process exit code. */
export type Handler = (argv: Record<string, unknown>) => Promise<number>;

/** A sub-command of mre-video (train, eval, validate). */
export interface SubCommand {
  /** yargs command string, e.g. "eval <inputs..>". */
  name: string;
  describe: string;
  declare: (y: Argv) => Argv;
  run: Handler;
}
