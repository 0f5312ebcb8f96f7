/** The rehearsal's deployment: the infra tests' context with the default audit role name. */
import { TEST_CONTEXT } from '../../infra/helpers.ts';

const { auditRoleName: _custom, ...rest } = TEST_CONTEXT;
export const REHEARSAL_CONTEXT: Record<string, unknown> = rest;

/** Retry waits of the state machine run at this share of their declared length. */
export const SFN_TIME_SCALE = 0.01;

/** The security account: moto's default account, where the stack is deployed. */
export const SECURITY_ACCOUNT_ID = '123456789012';
