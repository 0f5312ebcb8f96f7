/** A member account as onboarded: validated once here, used by planning, scanning and the real-time path. */
import { z } from 'zod';

/**
 * The audit role's name in the member accounts, when neither the deployment (`-c auditRoleName`)
 * nor the account (`posture accounts add --role-name`) names another: the one home of the
 * default (CDK config, the Lambdas' environment, the account records, the member templates).
 */
export const DEFAULT_AUDIT_ROLE_NAME = 'PostureAuditRole';
/** A role name the member templates can create: IAM's RoleName, no path. */
export const AUDIT_ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;

/** An S3 bucket name (general purpose): 3–63 lowercase letters, digits, dots and hyphens, no `..`. */
export const BUCKET_NAME_PATTERN = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const regionRe = /^[a-z]{2}(-[a-z]+)+-\d$/;

export const accountSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID'),
  name: z.string().min(1).max(128),
  externalId: z.string().min(2).max(1224).regex(/^[\w+=,.@:/-]+$/, 'allowed characters: letters, digits and +=,.@:/-'),
  // The account's own audit role name (`accounts add --role-name`), optionally with its IAM path
  // (path up to 512 characters, name up to 64). Absent: the deployment's name (AUDIT_ROLE_NAME,
  // `-c auditRoleName`), which MemberAccess resolves: see RoleAssumer.roleName().
  roleName: z.string().min(1).max(576).optional(),
  enabled: z.boolean().default(true),
  excludeRegions: z.array(z.string().regex(regionRe, 'must be a region name like eu-west-1')).default([]),
  excludeTypes: z.array(z.string().min(1)).default([]),
  excludeResources: z
    .array(
      z.string().refine((s) => {
        try {
          new RegExp(s);
          return true;
        } catch {
          return false;
        }
      }, 'must be a valid regular expression'),
    )
    .default([]),
  // The trail bucket whose CloudTrail log files are this account's second real-time source
  // (`accounts add --cloudtrail-bucket`); the log-file reader reads the account's files from it only.
  cloudtrailBucket: z.string().regex(BUCKET_NAME_PATTERN, 'must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)').optional(),
  addedAt: z.string().optional(),
});

export type Account = z.infer<typeof accountSchema>;

/** Validates an account, returning it or throwing a one-line error naming the field. */
export function parseAccount(input: unknown): Account {
  const r = accountSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const id = (input as { accountId?: unknown })?.accountId;
    throw new Error(`account ${String(id ?? '?')}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return r.data;
}

/** True when the account's exclusions drop this resource ID. */
export function excludesResource(account: Account, resourceId: string): boolean {
  return account.excludeResources.some((re) => new RegExp(re).test(resourceId));
}
