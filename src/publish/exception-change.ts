/**
 * Adding and removing exceptions, as `posture exceptions add|remove` and the console both do it:
 * every input validated (src/compliance/exceptions.ts) and its policy found in the active pack
 * before anything is stored, then each exception stored and applied to the stored compliance at
 * once (exception-effect.ts) through an ExceptionEngine the runtime provides (the active pack and
 * an engine evaluating with it).
 */
import { ExceptionError, ExceptionSet, validateException, type ExceptionInput, type PolicyException } from '#compliance/exceptions.ts';
import type { ComplianceItem } from '#compliance/model.ts';
import type { ExceptionStore } from '#store/exception-store.ts';
import type { AlertItem } from '#compliance/model.ts';
import type { PolicyCatalog } from '#compliance/catalog.ts';
import { applyExceptionChange, exceptionTrigger, type ExceptionEffect, type ExceptionEffectDeps } from './exception-effect.ts';
import type { PolicyLookup } from './pack-layers.ts';

/** The active pack, as a change of exceptions needs it. */
export interface ExceptionEngine {
  /** How the active pack is named in messages (a bundle, or the built-in pack). */
  label: string;
  lookupPolicy(policyId: string): PolicyLookup;
  /** Re-evaluates the stored verdicts of `policyId` that `affects` selects and writes what changed (alerts delivered). */
  takeEffect(policyId: string, affects: (item: ComplianceItem) => boolean, exceptionId: string): Promise<ExceptionEffect>;
}

export interface ExceptionChangeDeps {
  exceptions: Pick<ExceptionStore, 'add' | 'get' | 'remove'>;
  engine: ExceptionEngine;
  now: Date;
}

export interface AddedException {
  exception: PolicyException;
  effect: ExceptionEffect;
  /** False when the policy is disabled in the active pack (the exception still applies when it is enabled). */
  policyEnabled: boolean;
}

/**
 * Validates every input and checks each policy is in the active pack (an ExceptionError naming the
 * field, prefixed `exceptions.<i>.` in a batch of more than one), then stores and applies them in order.
 */
export async function addExceptions(deps: ExceptionChangeDeps, inputs: readonly Partial<ExceptionInput>[]): Promise<AddedException[]> {
  const at = (i: number, err: ExceptionError): ExceptionError => (inputs.length > 1 ? new ExceptionError(`exceptions.${i}.${err.message}`) : err);
  const valid = inputs.map((input, i) => {
    try {
      return validateException(input, deps.now);
    } catch (err) {
      throw err instanceof ExceptionError ? at(i, err) : err;
    }
  });
  const enabled = valid.map((v, i) => {
    const found = deps.engine.lookupPolicy(v.policyId);
    if (!found.found) {
      const close = found.close.length ? `; did you mean ${found.close.join(', ')}?` : '';
      throw at(i, new ExceptionError(`policy: '${v.policyId}' is not in the active pack (${deps.engine.label})${close}`));
    }
    return found.enabled;
  });
  const out: AddedException[] = [];
  for (const [i, v] of valid.entries()) {
    const e = await deps.exceptions.add(v, deps.now);
    const matcher = new ExceptionSet([e]);
    const effect = await deps.engine.takeEffect(e.policyId, (c) => c.status === 'FAIL' && matcher.match(e.policyId, c.resourceId, deps.now) !== undefined, e.exceptionId);
    out.push({ exception: e, effect, policyEnabled: enabled[i]! });
  }
  return out;
}

/** Removes an exception; the findings it suppressed alert again at once. Undefined: no such exception. */
export async function removeException(deps: ExceptionChangeDeps, exceptionId: string): Promise<{ exception: PolicyException; effect: ExceptionEffect } | undefined> {
  const e = await deps.exceptions.get(exceptionId);
  if (!e || !(await deps.exceptions.remove(exceptionId))) return undefined;
  const effect = await deps.engine.takeEffect(e.policyId, (c) => c.suppressedBy === exceptionId, exceptionId);
  return { exception: e, effect };
}

/**
 * An ExceptionEngine over an evaluator that evaluates with the active pack (a local engine worker,
 * or the engine Lambda deployed); `deliver` sends the alerts a change opens or resolves (none
 * deployed: the Alerts table's stream delivers them).
 */
export function evaluatorExceptionEngine(
  deps: ExceptionEffectDeps & { label: string; lookupPolicy(policyId: string): PolicyLookup; deliver?: (opened: AlertItem[], resolved: AlertItem[]) => Promise<void> },
): ExceptionEngine {
  return {
    label: deps.label,
    lookupPolicy: deps.lookupPolicy,
    async takeEffect(policyId, affects, exceptionId) {
      const effect = await applyExceptionChange(deps, policyId, affects, exceptionTrigger(exceptionId));
      if (deps.deliver && (effect.opened.length || effect.resolved.length)) await deps.deliver(effect.opened, effect.resolved);
      return effect;
    },
  };
}

/** A policy looked up in the active pack's catalog (where no engine process can run the pack's own lookup; no near-miss suggestions). */
export function catalogLookup(catalog: PolicyCatalog, policyId: string): PolicyLookup {
  const p = catalog.policies.find((x) => x.policyId === policyId);
  return { found: Boolean(p), enabled: p?.enabled ?? false, close: [] };
}
