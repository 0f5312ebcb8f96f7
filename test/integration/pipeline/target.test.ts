/** CLI targets: a deployed stack (outputs read through CloudFormation) and a local runtime endpoint. */
import { describe, expect, it } from 'vitest';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { OUTPUTS, tableOutputKey } from '../../../lib/outputs.ts';
import { resolveTarget } from '../../../src/cli/target.ts';
import { createClients } from '../../../src/aws/clients.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { startEmulator } from '../../../src/local/emulator.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../../../src/local/emulator-retry.ts';
import { EMULATOR_CREDENTIALS } from '../../../src/local/runtime.ts';
import { TABLES, type TableId } from '../../../src/store/tables.ts';
import { accountClients, accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

describe('resolveTarget', () => {
  it('needs exactly one target, and says which', async () => {
    await expect(resolveTarget({})).rejects.toThrow(/^give exactly one target: --stack NAME .* or --endpoint URL/);
    await expect(resolveTarget({ stack: 'a', endpoint: 'http://x' })).rejects.toThrow(/exactly one target/);
    await expect(resolveTarget({ endpoint: 'not a url' })).rejects.toThrow(/^--endpoint: 'not a url' is not a URL$/);
  });

  it('says an unreachable endpoint cannot be reached, not that credentials are wrong', async () => {
    await expect(resolveTarget({ endpoint: 'http://127.0.0.1:1' })).rejects.toThrow(
      /^--endpoint http:\/\/127\.0\.0\.1:1: cannot reach it \(ECONNREFUSED\); start a local runtime with posture demo --keep-running$/,
    );
  });

  it('reads a local runtime through its endpoint, and says when the emulator there has no Posture stack', async () => {
    // An emulator of its own: on the shared one, other test files may have created the default
    // account's Posture tables already (a local runtime uses that account).
    const emulator = await startEmulator();
    try {
      await expect(resolveTarget({ endpoint: emulator.endpoint })).rejects.toThrow(
        /^--endpoint http:\/\/[\w.:]+: an AWS emulator answers there, but no Posture stack is deployed on it \(no table posture-accounts\); start one with posture demo --keep-running$/,
      );
    } finally {
      await emulator.stop();
    }
    await ensureTables(createClients({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: EMULATOR_CREDENTIALS, ...EMULATOR_CLIENT_OPTIONS }));
    const t = await resolveTarget({ endpoint: motoEndpoint() });
    expect(t).toMatchObject({ kind: 'local', securityAccountId: '123456789012', bucket: 'posture-scans-123456789012' });
    expect(t.tables.Resources).toBe('posture-resources');
  });

  it('reads a deployed stack through its outputs, and names a missing one', async () => {
    const accountId = randomAccountId();
    const clients = await accountClients(accountId);
    const tables = await ensureTables(clients, `stack${accountId.slice(-4)}`);
    const outputs: Record<string, { Value: string }> = { [OUTPUTS.scanBucket]: { Value: 'the-scan-bucket' } };
    for (const id of Object.keys(TABLES) as TableId[]) outputs[tableOutputKey(id)] = { Value: tables[id] };
    const template = { Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: outputs };
    await clients.get(CloudFormationClient).send(new CreateStackCommand({ StackName: 'Posture', TemplateBody: JSON.stringify(template) }));

    const creds = await accountCredentials(accountId);
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: motoEndpoint(), AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken });
    try {
      const t = await resolveTarget({ stack: 'Posture', region: 'us-east-1' });
      expect(t).toMatchObject({ kind: 'stack', securityAccountId: accountId, bucket: 'the-scan-bucket', tables });
      expect(await t.accounts.list()).toEqual([]);
      await expect(resolveTarget({ stack: 'NotThere', region: 'us-east-1' })).rejects.toThrow(
        /^--stack NotThere: no such stack in us-east-1 at http:\/\/[\w.:]+: the Posture stack is missing \(deploy it with npx cdk deploy, or check --stack, --region and --profile\)$/,
      );
    } finally {
      process.env = saved;
    }
  });
});
