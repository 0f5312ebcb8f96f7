/**
 * `posture exceptions add|list|remove`: accepted risks. `add` checks the policy is in the target's
 * active pack, and both `add` and `remove` take effect at once on the stored compliance (no
 * rescan): the covered FAILs become suppressed and their alerts resolve, or alert again.
 */
import type { Command } from 'commander';
import { systemClock } from '#core/types.ts';
import { ExceptionError, isActive, validateException, type ExceptionInput, type PolicyException } from '#compliance/exceptions.ts';
import { ActivePackError } from '#publish/active-pack.ts';
import { EngineCommandError } from '#publish/engine-json.ts';
import { addExceptions, removeException } from '#publish/exception-change.ts';
import { withExceptionEngine, type ExceptionEngineOptions } from '../exception-engine.ts';
import { renderTable } from '../table.ts';
import type { Target, TargetOptions } from '../target.ts';
import { addFormatOptions, addIdArgument, addTargetOptions, idOf, targetOrExit } from './options.ts';

interface AddOptions extends TargetOptions {
  policy?: string;
  resource?: string;
  reason?: string;
  owner?: string;
  expires?: string;
}

export interface ExceptionsIo {
  out(line: string): void;
  err(line: string): void;
}

export type ExceptionsPorts = ExceptionEngineOptions;

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function exceptionRows(list: readonly PolicyException[], now: Date): string[][] {
  return list.map((e) => [e.exceptionId, e.policyId, e.resourcePattern, e.owner, e.expires, isActive(e, now) ? 'active' : 'expired', e.reason]);
}

/** `exceptions add`: 0 added, 2 a usage error (invalid field, a policy the active pack lacks). */
export async function runExceptionsAdd(target: Target, input: Partial<ExceptionInput>, io: ExceptionsIo, ports: ExceptionsPorts = {}): Promise<number> {
  const now = (ports.clock ?? systemClock).now();
  try {
    const [added] = await withExceptionEngine(target, ports, (engine) => addExceptions({ exceptions: target.exceptions, engine, now }, [input]));
    const { exception: e, effect } = added!;
    io.out(`added ${e.exceptionId}: ${e.policyId} on ${e.resourcePattern} until ${e.expires} (owner ${e.owner})`);
    const disabled = added!.policyEnabled ? '' : ` (${e.policyId} is disabled in the active pack)`;
    io.out(
      effect.covered.length
        ? `covers ${plural(effect.covered.length, 'failing finding')} now: suppressed (${plural(effect.resolved.length, 'alert')} resolved)${disabled}`
        : `covers no failing finding now; applies to matching results from now on${disabled}`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof ExceptionError || err instanceof ActivePackError || err instanceof EngineCommandError)) throw err;
    io.err(`posture exceptions add: ${err.message}`);
    return 2;
  }
}

/** `exceptions remove`: 0 removed, 1 no such exception. The findings it covered alert again at once. */
export async function runExceptionsRemove(target: Target, exceptionId: string, io: ExceptionsIo, ports: ExceptionsPorts = {}): Promise<number> {
  try {
    const now = (ports.clock ?? systemClock).now();
    const removed = await withExceptionEngine(target, ports, (engine) => removeException({ exceptions: target.exceptions, engine, now }, exceptionId));
    if (!removed) {
      io.err(`posture exceptions remove: no exception ${exceptionId}`);
      return 1;
    }
    const { effect } = removed;
    io.out(`removed ${exceptionId}`);
    if (effect.reopened.length) io.out(`re-opened ${plural(effect.reopened.length, 'failing finding')} (${plural(effect.opened.length, 'alert')} opened)`);
    if (effect.covered.length) io.out(`${plural(effect.covered.length, 'finding')} stay suppressed by other exceptions`);
    return 0;
  } catch (err) {
    if (!(err instanceof ActivePackError || err instanceof EngineCommandError)) throw err;
    io.err(`posture exceptions remove: ${err.message}`);
    return 2;
  }
}

const consoleIo: ExceptionsIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export function registerExceptions(program: Command): void {
  const cmd = program.command('exceptions').description('accepted risks: a policy and a resource-ID glob, with reason, owner and expiry');

  addTargetOptions(
    cmd
      .command('add')
      .description(
        'add an exception for a policy of the active pack; the stored FAIL results it matches are suppressed at once (their alerts resolve, no rescan), and later ones until it expires',
      )
      .option('--policy <id>', 'the policy ID (must be in the active pack: the uploaded bundle, else the built-in one)')
      .option('--resource <glob>', 'resource-ID glob (* any characters, ? one)')
      .option('--reason <text>', 'why the risk is accepted')
      .option('--owner <who>', 'who answers for it')
      .option('--expires <YYYY-MM-DD>', 'last day it applies (UTC); the next evaluation after that re-opens the finding'),
  ).action(async (opts: AddOptions) => {
    const input: Partial<ExceptionInput> = { policyId: opts.policy, resourcePattern: opts.resource, reason: opts.reason, owner: opts.owner, expires: opts.expires };
    try {
      validateException(input, new Date()); // a usage error is reported before any AWS call
    } catch (err) {
      if (!(err instanceof ExceptionError)) throw err;
      console.error(`posture exceptions add: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    const target = await targetOrExit('exceptions add', opts);
    if (!target) return;
    process.exitCode = await runExceptionsAdd(target, input, consoleIo);
  });

  addTargetOptions(addFormatOptions(cmd.command('list').description('list exceptions (expired ones marked)'), ['table', 'json'], 'table')).action(
    async (opts: TargetOptions & { json?: boolean }) => {
      const target = await targetOrExit('exceptions list', opts);
      if (!target) return;
      const list = await target.exceptions.list();
      if (opts.json) console.log(JSON.stringify(list, null, 2));
      else console.log(renderTable(['ID', 'POLICY', 'RESOURCE', 'OWNER', 'EXPIRES', 'STATE', 'REASON'], exceptionRows(list, new Date())));
    },
  );

  const remove = cmd.command('remove').description('remove an exception; the stored findings it suppressed alert again at once (no rescan)');
  addTargetOptions(addIdArgument(remove, 'the exception ID')).action(async (arg: string | undefined, opts: TargetOptions & { id?: string }) => {
    const id = idOf(remove, arg, opts.id);
    const target = await targetOrExit('exceptions remove', opts);
    if (!target) return;
    process.exitCode = await runExceptionsRemove(target, id, consoleIo);
  });
}
