/**
 * The environment a Lambda handler under test runs with: the CDK contract's variables pointing at
 * the local infrastructure, and the SDK reaching moto through AWS_ENDPOINT_URL with `accountId`'s
 * credentials. Handler tests set it before importing the handler module.
 */
import { ENV } from '../../lambdas/runtime/env.ts';
import type { LocalInfra } from '../../src/local/bootstrap.ts';
import { tableEnvVar, type TableId } from '../../src/store/tables.ts';
import { accountCredentials, motoEndpoint } from './moto.ts';

export async function setLambdaEnvironment(infra: LocalInfra, accountId: string): Promise<void> {
  const creds = await accountCredentials(accountId);
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: motoEndpoint(),
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_NAMESPACE: 'Posture',
    POWERTOOLS_SERVICE_NAME: 'posture',
    [ENV.scanBucket]: infra.bucket,
    [ENV.engineFunction]: 'posture-engine',
    [ENV.alertsTopic]: infra.topicArn,
    [ENV.realtimeDelayQueue]: infra.queues.delay,
    [ENV.realtimeDeadLetterQueue]: infra.queues.deadLetter,
    [ENV.alertDeliveryDeadLetterQueue]: infra.queues.alertDelivery,
    ...Object.fromEntries((Object.keys(infra.tables) as TableId[]).map((id) => [tableEnvVar(id), infra.tables[id]])),
  });
}
