/**
 * The installed `posture` command (built to dist/posture.mjs): answers `--version` and `--help`
 * (of any command) from dist/help.json, written at build time from the real command tree, and
 * hands everything else to the full CLI (dist/cli.mjs) — so help starts in milliseconds instead of
 * loading every AWS client first. On Node 22.1+ the full CLI's compiled code is cached on disk
 * (module.enableCompileCache, in the engine's cache folder), so later runs skip compiling its 12 MB.
 */
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { engineCacheDir } from '#core/engine-venv.ts';

interface Manifest {
  version: string;
  help: Record<string, string>;
}

const HELP = new Set(['--help', '-h']);

/** The help text these arguments ask for, or undefined when they are a real command. */
function answer(args: readonly string[], m: Manifest): string | undefined {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) return `${m.version}\n`;
  if (args[0] === 'help' && args.length <= 2) return m.help[args.slice(1).join(' ')];
  const last = args.at(-1);
  if (last === undefined || !HELP.has(last)) return undefined;
  return m.help[args.slice(0, -1).join(' ')];
}

const manifest = JSON.parse(readFileSync(new URL('./help.json', import.meta.url), 'utf8')) as Manifest;
const text = answer(process.argv.slice(2), manifest);
if (text !== undefined) process.stdout.write(text);
else {
  // Absent before Node 22.1 (and off with NODE_DISABLE_COMPILE_CACHE): then nothing is cached.
  const cache = (module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  cache?.(join(engineCacheDir(), 'compile-cache'));
  await import(new URL('./cli.mjs', import.meta.url).href);
}
