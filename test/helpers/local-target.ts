/** A CLI target on a test's local runtime: what `--endpoint` resolves to, built from the runtime's own stores. */
import type { Target } from '../../src/cli/target.ts';
import type { LocalRuntime } from '../../src/local/runtime.ts';

export function localTarget(rt: LocalRuntime, securityAccountId: string, overrides: Partial<Target> = {}): Target {
  return {
    kind: 'local',
    name: rt.endpoint,
    clients: rt.clients,
    securityAccountId,
    tables: rt.infra.tables,
    bucket: rt.infra.bucket,
    outputs: {},
    accounts: rt.deps.accounts,
    resources: rt.deps.resources,
    compliance: rt.deps.compliance,
    ledger: rt.deps.ledger,
    summaries: rt.summaries,
    exceptions: rt.deps.exceptions as Target['exceptions'],
    ...overrides,
  } as Target;
}
