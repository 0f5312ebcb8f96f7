/** `posture exceptions add|list|remove`: accepted risks, applied at the next evaluation. */
import type { Command } from 'commander';
import { ExceptionError, isActive, validateException, type ExceptionInput, type PolicyException } from '#compliance/exceptions.ts';
import { renderTable } from '../table.ts';
import type { TargetOptions } from '../target.ts';
import { addTargetOptions, targetOrExit } from './target-options.ts';

interface AddOptions extends TargetOptions {
  policy?: string;
  resource?: string;
  reason?: string;
  owner?: string;
  expires?: string;
}

export function exceptionRows(list: readonly PolicyException[], now: Date): string[][] {
  return list.map((e) => [e.exceptionId, e.policyId, e.resourcePattern, e.owner, e.expires, isActive(e, now) ? 'active' : 'expired', e.reason]);
}

export function registerExceptions(program: Command): void {
  const cmd = program.command('exceptions').description('accepted risks: a policy and a resource-ID glob, with reason, owner and expiry');

  addTargetOptions(
    cmd
      .command('add')
      .description('add an exception; matching FAIL results are suppressed (no alert) until it expires')
      .option('--policy <id>', 'the policy ID')
      .option('--resource <glob>', 'resource-ID glob (* any characters, ? one)')
      .option('--reason <text>', 'why the risk is accepted')
      .option('--owner <who>', 'who answers for it')
      .option('--expires <YYYY-MM-DD>', 'last day it applies (UTC); after that the finding re-opens'),
  ).action(async (opts: AddOptions) => {
    const input: Partial<ExceptionInput> = { policyId: opts.policy, resourcePattern: opts.resource, reason: opts.reason, owner: opts.owner, expires: opts.expires };
    try {
      validateException(input, new Date()); // a usage error is reported before any AWS call
      const target = await targetOrExit('exceptions add', opts);
      if (!target) return;
      const e = await target.exceptions.add(input, new Date());
      console.log(`added ${e.exceptionId}: ${e.policyId} on ${e.resourcePattern} until ${e.expires} (owner ${e.owner}); applies from the next evaluation`);
    } catch (err) {
      if (!(err instanceof ExceptionError)) throw err;
      console.error(`posture exceptions add: ${err.message}`);
      process.exitCode = 2;
    }
  });

  addTargetOptions(cmd.command('list').description('list exceptions (expired ones marked)').option('--json', 'machine-readable output')).action(
    async (opts: TargetOptions & { json?: boolean }) => {
      const target = await targetOrExit('exceptions list', opts);
      if (!target) return;
      const list = await target.exceptions.list();
      if (opts.json) console.log(JSON.stringify(list, null, 2));
      else console.log(renderTable(['ID', 'POLICY', 'RESOURCE', 'OWNER', 'EXPIRES', 'STATE', 'REASON'], exceptionRows(list, new Date())));
    },
  );

  addTargetOptions(cmd.command('remove').description('remove an exception; its findings re-open at the next evaluation').argument('<id>', 'exception ID')).action(
    async (id: string, opts: TargetOptions) => {
      const target = await targetOrExit('exceptions remove', opts);
      if (!target) return;
      if (await target.exceptions.remove(id)) console.log(`removed ${id}`);
      else {
        console.error(`posture exceptions remove: no exception ${id}`);
        process.exitCode = 1;
      }
    },
  );
}
