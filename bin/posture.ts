#!/usr/bin/env node
/**
 * CDK app entry (`npx cdk synth|deploy`). Configuration comes from CDK context, e.g.
 *   npx cdk deploy -c organizationId=o-abc123defg -c alertEmail=secops@example.com
 * Keys: organizationId, memberAccountIds (comma list), alertEmail, scanSchedule,
 * scanMaxConcurrency, auditRoleName, additionalAuditRoleNames (comma list) (see lib/config.ts).
 */
import { buildApp } from '../lib/app.ts';

buildApp();
