/**
 * Resources holding secret-looking values in the places AWS keeps them in the clear — a Lambda
 * function's environment, an instance's user data, a stack parameter that is not NoEcho, a
 * task's container environment override — for the tests that check no secret leaves through
 * Posture (redaction, engine environment, alerts).
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClients } from '#aws/clients.ts';
import { FUNCTION_CODE } from './compute.ts';

/** The secret value planted in each place. */
export interface SecretMarkers {
  lambdaEnv: string;
  userData: string;
  stackParameter: string;
  taskEnv: string;
}

/** What was created (names carry `name`). */
export interface SecretBearing {
  functionName: string;
  stackName: string;
  instanceId: string;
  clusterName: string;
}

export async function seedSecretBearingResources(clients: AwsClients, name: string, m: SecretMarkers): Promise<SecretBearing> {
  const role = (
    await clients.get(IAMClient).send(
      new CreateRoleCommand({
        RoleName: `${name}-fn`,
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      }),
    )
  ).Role!.Arn!;
  const functionName = `${name}-fn`;
  await clients.get(LambdaClient).send(
    new CreateFunctionCommand({
      FunctionName: functionName,
      Runtime: 'python3.13',
      Role: role,
      Handler: 'index.handler',
      Code: FUNCTION_CODE,
      Environment: { Variables: { DB_PASSWORD: m.lambdaEnv, STAGE: 'prod' } },
    }),
  );

  const stackName = `${name}-stack`;
  await clients.get(CloudFormationClient).send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify({ Parameters: { DbPassword: { Type: 'String' } }, Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }),
      Parameters: [{ ParameterKey: 'DbPassword', ParameterValue: m.stackParameter }],
    }),
  );

  const instanceId = (
    await clients.get(EC2Client).send(
      new RunInstancesCommand({
        ImageId: 'ami-12345678',
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't3.micro',
        UserData: Buffer.from(`#!/bin/sh\nexport API_KEY=${m.userData}\n`).toString('base64'),
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: `${name}-vm` }] }],
      }),
    )
  ).Instances![0]!.InstanceId!;

  const clusterName = `${name}-ecs`;
  const ecs = clients.get(ECSClient);
  await ecs.send(new CreateClusterCommand({ clusterName }));
  // moto's awsvpc task path fails (see compute.ts): a bridge-mode definition, run as FARGATE.
  await ecs.send(new RegisterTaskDefinitionCommand({ family: `${name}-job`, networkMode: 'bridge', containerDefinitions: [{ name: 'job', image: 'busybox', essential: true, memory: 128 }] }));
  await ecs.send(
    new RunTaskCommand({
      cluster: clusterName,
      taskDefinition: `${name}-job`,
      launchType: 'FARGATE',
      overrides: { containerOverrides: [{ name: 'job', environment: [{ name: 'API_KEY', value: m.taskEnv }] }] },
    }),
  );
  return { functionName, stackName, instanceId, clusterName };
}
