/**
 * The ExceptionEngine (src/publish/exception-change.ts) of a CLI target: its active pack in a
 * temporary directory, an engine worker on it (started on first use), and the delivery of the
 * alerts a change opens or resolves. Shared by `posture exceptions` and `posture console`.
 */
import { systemClock, type Clock, type Evaluator } from '#core/types.ts';
import { evaluatorExceptionEngine, type ExceptionEngine } from '#publish/exception-change.ts';
import { lookupPolicy } from '#publish/pack-layers.ts';
import type { PythonWorker } from '#local/python-worker.ts';
import { defaultDelivery, startPackWorker, targetFrameworks, withActivePack, type AlertDelivery } from './active-pack-worker.ts';
import type { Target } from './target.ts';

export interface ExceptionEngineOptions {
  clock?: Clock;
  /** Delivers the alerts the re-evaluation resolved or opened (default: defaultDelivery). */
  onAlerts?: AlertDelivery;
  /** The built-in pack of a local runtime (default: policies/). */
  builtinDirs?: string[];
}

export async function withExceptionEngine<T>(target: Target, opts: ExceptionEngineOptions, fn: (engine: ExceptionEngine) => Promise<T>): Promise<T> {
  const clock = opts.clock ?? systemClock;
  return withActivePack(
    target,
    async (active) => {
      let worker: Promise<PythonWorker> | undefined;
      // The engine worker starts on the first evaluation (a refused input never starts one).
      const evaluator: Evaluator = { evaluate: async (resources, lookups) => (await (worker ??= startPackWorker(active.baseline, targetFrameworks(target)))).evaluate(resources, lookups) };
      const engine = evaluatorExceptionEngine({
        label: active.label,
        lookupPolicy: (policyId) => lookupPolicy(active.baseline, policyId),
        resources: target.resources,
        compliance: target.compliance,
        evaluator,
        exceptions: target.exceptions,
        clock,
        deliver: opts.onAlerts ?? defaultDelivery(target),
      });
      try {
        return await fn(engine);
      } finally {
        if (worker) await worker.then((w) => w.stop(), () => undefined);
      }
    },
    opts.builtinDirs,
  );
}
