import { fileURLToPath } from 'node:url';

/** The CLI's entry module, run from source so the tests need no build. */
const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** The tsx loader, by URL, so the CLI can run from any working folder. */
const TSX_LOADER = import.meta.resolve('tsx');

/** Node arguments that run `mre-video <args>` from source: spawn(process.execPath, these). */
export function cliFromSourceArgs(args: readonly string[]): string[] {
  const entry = `import { main } from ${JSON.stringify(CLI_MAIN)};\n` +
    'process.exitCode = await main(process.argv.slice(1));';
  return ['--import', TSX_LOADER, '--input-type=module', '-e', entry, ...args];
}
