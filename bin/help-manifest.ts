/**
 * Build step: every command's help text (as `--help` prints it, at 80 columns) keyed by its command
 * path, so the built launcher answers `--help` and `--version` without loading the scanners.
 * Run by scripts/build.mjs from its bundle; writes the JSON to the path given as the first argument.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildProgram } from './program.ts';
import { packageVersion } from '../src/core/paths.ts';

function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s), getOutHelpWidth: () => 80 });
  cmd.outputHelp();
  return text;
}

function collect(cmd: Command, path: string[], into: Record<string, string>): void {
  into[path.join(' ')] = helpOf(cmd);
  for (const sub of cmd.commands) collect(sub, [...path, sub.name()], into);
}

const help: Record<string, string> = {};
collect(buildProgram(), [], help);
const out = process.argv[2];
if (!out) throw new Error('usage: help-manifest <out.json>');
writeFileSync(out, `${JSON.stringify({ version: packageVersion(), help })}\n`);
