import { existsSync } from 'node:fs';

import type { Logger } from '../log.js';

/** Most single-character edits between a typed word and a command name still taken as a typo. */
const MAX_TYPO_EDITS = 2;

/** Levenshtein distance: insertions, deletions and substitutions, each costing 1. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, (previous[j] as number) + 1,
        (current[j - 1] as number) + 1);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The sub-command a bare word was probably meant to be (`evl` → `eval`), or null. Only plain
 * lower-case words are considered: anything with a dot, slash or digit is taken as a path.
 */
export function suggestCommand(word: string, commands: readonly string[]): string | null {
  if (!/^[a-z][a-z-]*$/.test(word) || commands.includes(word)) return null;
  let best: { name: string; edits: number } | null = null;
  for (const name of commands) {
    const edits = editDistance(word, name);
    if (edits <= MAX_TYPO_EDITS && (best === null || edits < best.edits)) best = { name, edits };
  }
  return best?.name ?? null;
}

/**
 * Warns about main-job inputs that do not exist and look like a mistyped sub-command; the run
 * itself goes on (such an input still gets its `file not found` row).
 */
export function warnCommandTypos(
  inputs: readonly string[], commands: readonly string[], log: Logger,
): void {
  for (const input of inputs) {
    const command = suggestCommand(input, commands);
    if (command !== null && !existsSync(input)) {
      log.warn(`${input}: no such file or folder; did you mean \`mre-video ${command}\`?`);
    }
  }
}
