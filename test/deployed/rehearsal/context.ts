/**
 * The rehearsal's deployment: the infra tests' context, whose audit role name is not the default
 * (`-c auditRoleName=PostureTestAudit`): a deploy with its own name must scan through it.
 */
import { TEST_CONTEXT } from '../../infra/helpers.ts';

export const REHEARSAL_CONTEXT: Record<string, unknown> = TEST_CONTEXT;
/** The member accounts' audit role: the deployment's `auditRoleName`. */
export const REHEARSAL_AUDIT_ROLE = TEST_CONTEXT.auditRoleName;

/** Retry waits of the state machine run at this share of their declared length. */
export const SFN_TIME_SCALE = 0.01;

/** The security account: moto's default account, where the stack is deployed. */
export const SECURITY_ACCOUNT_ID = '123456789012';
