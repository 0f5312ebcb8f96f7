/**
 * Fully configured compute and deployments, shared by the registry types' integration tests and
 * the documentation estate: a Lambda function with a resource policy, an ECS cluster running a
 * service and a task, an EKS cluster with a node group and a Fargate profile, a CloudFormation stack.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateClusterCommand as CreateEcsClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { CreateClusterCommand as CreateEksClusterCommand, CreateFargateProfileCommand, CreateNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClients } from '#aws/clients.ts';

// moto neither runs nor unpacks function code: any bytes do.
export const FUNCTION_CODE = { ZipFile: Buffer.from('code') };

/** Role `fn-exec` and function `api` (Node.js 20, environment, X-Ray active, tagged) that anyone
 *  may invoke. Returns the role's ARN. */
export async function createApiFunction(clients: AwsClients): Promise<string> {
  const role = (
    await clients.get(IAMClient).send(
      new CreateRoleCommand({
        RoleName: 'fn-exec',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      }),
    )
  ).Role!.Arn!;
  const lambda = clients.get(LambdaClient);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'api',
      Runtime: 'nodejs20.x',
      Role: role,
      Handler: 'index.handler',
      Code: FUNCTION_CODE,
      Description: 'public API',
      MemorySize: 256,
      Timeout: 10,
      Environment: { Variables: { STAGE: 'prod' } },
      TracingConfig: { Mode: 'Active' },
      Tags: { team: 'api' },
    }),
  );
  await lambda.send(new AddPermissionCommand({ FunctionName: 'api', StatementId: 'public', Action: 'lambda:InvokeFunction', Principal: '*' }));
  return role;
}

/** ECS cluster `prod` (Container Insights, ECS Exec logging) running service `web` and one task.
 *  Returns the task's ARN. */
export async function createProdEcsCluster(clients: AwsClients): Promise<string> {
  const ecs = clients.get(ECSClient);
  await ecs.send(
    new CreateEcsClusterCommand({
      clusterName: 'prod',
      tags: [{ key: 'team', value: 'ops' }],
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      configuration: { executeCommandConfiguration: { logging: 'OVERRIDE', logConfiguration: { cloudWatchLogGroupName: '/ecs/exec', cloudWatchEncryptionEnabled: true } } },
    }),
  );
  // moto's awsvpc task path fails (its ENIs lack privateDnsName): a bridge-mode definition, run as FARGATE.
  await ecs.send(
    new RegisterTaskDefinitionCommand({ family: 'web', networkMode: 'bridge', containerDefinitions: [{ name: 'web', image: 'nginx', essential: true, memory: 256 }] }),
  );
  await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web', desiredCount: 1, tags: [{ key: 'svc', value: 'web' }], enableExecuteCommand: true }));
  return (await ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: 'web', launchType: 'FARGATE', count: 1, tags: [{ key: 'job', value: 'batch' }] }))).tasks![0]!.taskArn!;
}

/** EKS cluster `prod` (1.30, public endpoint open to the world, API and audit logs, secrets
 *  encrypted with `keyArn`) with node group `web` and Fargate profile `jobs`, in `subnetIds`
 *  (moto does not check them). Roles are named eks-cluster, eks-node and eks-pods in `accountId`. */
export async function createProdEksCluster(clients: AwsClients, accountId: string, opts: { subnetIds: [string, string]; keyArn: string }): Promise<void> {
  const eks = clients.get(EKSClient);
  const role = (name: string) => `arn:aws:iam::${accountId}:role/${name}`;
  await eks.send(
    new CreateEksClusterCommand({
      name: 'prod',
      version: '1.30',
      roleArn: role('eks-cluster'),
      resourcesVpcConfig: { subnetIds: opts.subnetIds, endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
      logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
      encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: opts.keyArn } }],
      tags: { team: 'platform' },
    }),
  );
  await eks.send(
    new CreateNodegroupCommand({
      clusterName: 'prod',
      nodegroupName: 'web',
      nodeRole: role('eks-node'),
      subnets: [opts.subnetIds[0]],
      scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
      remoteAccess: { ec2SshKey: 'ops' },
      labels: { 'app.kubernetes.io/role': 'web' },
      tags: { pool: 'web' },
    }),
  );
  await eks.send(
    new CreateFargateProfileCommand({
      clusterName: 'prod',
      fargateProfileName: 'jobs',
      podExecutionRoleArn: role('eks-pods'),
      selectors: [{ namespace: 'jobs', labels: { tier: 'batch' } }],
    }),
  );
}

export const APP_STACK_TEMPLATE = JSON.stringify({
  Description: 'app stack',
  Parameters: { Env: { Type: 'String' } },
  Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
  Outputs: { TopicArn: { Value: { Ref: 'Topic' }, Description: 'the topic' } },
});

/** CloudFormation stack `app` (a parameter, an output, tags, termination protection, a timeout).
 *  Returns its StackId. */
export async function createAppStack(clients: AwsClients): Promise<string> {
  const out = await clients.get(CloudFormationClient).send(
    new CreateStackCommand({
      StackName: 'app',
      TemplateBody: APP_STACK_TEMPLATE,
      Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }],
      Tags: [{ Key: 'team', Value: 'platform' }],
      EnableTerminationProtection: true,
      TimeoutInMinutes: 15,
    }),
  );
  return out.StackId!;
}
