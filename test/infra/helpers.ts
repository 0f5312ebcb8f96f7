/** Shared helpers of the infra tests. */
import type { Template } from 'aws-cdk-lib/assertions';

/** Context of the test synths: a configured Organization, two member accounts, an email. */
export const TEST_CONTEXT = {
  organizationId: 'o-abcdefghij',
  memberAccountIds: '111111111111, 222222222222',
  alertEmail: 'secops@example.com',
  scanMaxConcurrency: '25',
  auditRoleName: 'PostureTestAudit',
};

export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

type Json = Record<string, unknown>;

/** Renders an intrinsic as a placeholder that can live inside a JSON string. */
function placeholder(node: unknown): string {
  const o = node as Json;
  if (o.Ref !== undefined) return `Ref(${String(o.Ref)})`;
  if (Array.isArray(o['Fn::GetAtt'])) return `GetAtt(${(o['Fn::GetAtt'] as string[]).join('.')})`;
  return 'Intrinsic';
}

/** The state machine's ASL as an object (intrinsics inside strings become placeholders). */
export function stateMachineDefinition(template: Template): Json {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const body = (machines[0] as { Properties: { DefinitionString: unknown } }).Properties.DefinitionString;
  if (typeof body === 'string') return JSON.parse(body) as Json;
  const [, parts] = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : placeholder(p))).join('')) as Json;
}

/** Every IAM policy statement of the template (but those of the roles named by logical ID in `exceptRoles`). */
export function policyStatements(template: Template, exceptRoles: readonly string[] = []): Json[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => !((p as { Properties: { Roles?: { Ref?: string }[] } }).Properties.Roles ?? []).some((r) => exceptRoles.includes(r.Ref ?? '')))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Json[] } } }).Properties.PolicyDocument.Statement);
}

export const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
