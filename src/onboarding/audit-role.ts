/**
 * The member account's audit role, as data: trusted by the security account only with the
 * account's ExternalId; AWS's SecurityAudit policy plus exactly the read actions the registry
 * declares. The demo seeds it from here; the member templates are generated from here too.
 */
import { iamActions } from '#resources/index.ts';

export const SECURITY_AUDIT_POLICY = 'policy/SecurityAudit';

export function auditRoleTrustPolicy(securityAccountId: string, externalId: string, partition = 'aws'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${securityAccountId}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ],
  });
}

/** The registry's read actions beyond SecurityAudit; null when SecurityAudit covers everything. */
export function auditRoleExtraPolicy(): string | null {
  const actions = iamActions();
  if (actions.length === 0) return null;
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...actions], Resource: '*' }] });
}
