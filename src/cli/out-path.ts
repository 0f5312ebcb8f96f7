/**
 * Output paths are checked before any work starts: a scan that runs for an hour and then cannot
 * write its results is a scan wasted. Each check answers one line naming the path, or null.
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where `posture report` writes without --out: under out/, beside `posture scan`'s out/scan. */
export const DEFAULT_REPORT_FILE = 'out/report.html';

const statOf = (path: string): Stats | undefined => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

/** Whether files can be created in an existing directory: a real probe (root passes every access() check). */
function canWriteIn(dir: string): string | null {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    rmSync(mkdtempSync(join(dir, '.posture-write-check-')), { recursive: true, force: true });
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

/** The nearest existing ancestor of a path that does not exist (the directory `mkdir -p` would start in). */
function existingAncestor(path: string): { dir: string; stat: Stats | undefined } {
  let dir = dirname(path);
  for (;;) {
    const stat = statOf(dir);
    const parent = dirname(dir);
    if (stat || parent === dir) return { dir, stat };
    dir = parent;
  }
}

/** A directory to write files into (created if missing): exists as a directory and is writable, or can be created. */
export function outDirProblem(given: string): string | null {
  const path = resolve(given);
  const stat = statOf(path);
  if (stat) {
    if (!stat.isDirectory()) return `${given} is a file, not a directory`;
    const why = canWriteIn(path);
    return why ? `${given} is not writable (${why})` : null;
  }
  const { dir, stat: parent } = existingAncestor(path);
  if (!parent) return `${given} cannot be created: no existing parent directory`;
  if (!parent.isDirectory()) return `${given} cannot be created: ${dir} is a file, not a directory`;
  const why = canWriteIn(dir);
  return why ? `${given} cannot be created: ${dir} is not writable (${why})` : null;
}

/** A file to write (whole, through a temporary file beside it): not a directory, and its directory writable or creatable. */
export function outFileProblem(given: string): string | null {
  const path = resolve(given);
  const stat = statOf(path);
  if (stat?.isDirectory()) return `${given} is a directory; name the file to write`;
  const problem = outDirProblem(dirname(path));
  return problem ? `${given}: ${problem}` : null;
}
