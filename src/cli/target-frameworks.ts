/** Which frameworks' policies a target's engine runs, so the CLI's own evaluations and catalogs agree with it. */
import { chooseFrameworks, frameworkNames, type FrameworkChoice } from '#compliance/frameworks/selection.ts';
import { OUTPUTS } from '../../lib/outputs.ts';
import type { Target } from './target.ts';

/**
 * The frameworks a target's engine runs (compliance/frameworks/selection.ts): a stack's Frameworks
 * output (-c posture:frameworks); none for a stack deployed before the choice existed (its engine
 * runs every policy); the default (CIS and FSBP) for a local runtime, as src/local/runtime.ts runs.
 */
export function targetFrameworks(target: Pick<Target, 'kind' | 'outputs'>): FrameworkChoice | undefined {
  if (target.kind === 'local') return chooseFrameworks();
  const deployed = target.outputs[OUTPUTS.frameworks];
  return deployed === undefined ? undefined : chooseFrameworks(frameworkNames(deployed));
}
