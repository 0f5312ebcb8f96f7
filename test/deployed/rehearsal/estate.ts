/** A small misconfigured estate per member account, from the shared estate seeders. */
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateUserCommand, IAMClient, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createApiFunction } from '../../../src/local/estate/compute.ts';
import { createOrdersTable } from '../../../src/local/estate/data-stores.ts';
import { createMainVpc } from '../../../src/local/estate/network.ts';
import { createAppDataKey } from '../../../src/local/estate/security-services.ts';
import type { Member } from '../../helpers/member.ts';

/** Log groups in the first member account: two pages of the log group listing. */
export const LOG_GROUPS = 60;

export interface Estate {
  /** A security group open to the world on 22. */
  sshGroupId: string;
}

export async function seedEstate(member: Member, variant: number): Promise<Estate> {
  const { clients } = member;
  const accountId = member.account.accountId;
  const flowLogs = `flow-logs-${accountId}`;
  await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: flowLogs }));
  await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: `plain-${accountId}` }));
  const vpc = await createMainVpc(clients, { flowLogBucket: flowLogs });
  const ec2 = clients.get(EC2Client);
  const sshGroupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'open-ssh', Description: 'ssh from anywhere', VpcId: vpc.vpcId }))).GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: sshGroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
  );
  await clients.get(IAMClient).send(new CreateUserCommand({ UserName: `deployer-${variant}` }));
  await clients.get(IAMClient).send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 6 }));
  await createAppDataKey(clients, accountId);
  await createApiFunction(clients);
  if (variant === 0) {
    await createOrdersTable(clients);
    // More log groups than one page of DescribeLogGroups (50): a scope that spans pages.
    const logs = clients.get(CloudWatchLogsClient);
    for (let i = 0; i < LOG_GROUPS; i++) await logs.send(new CreateLogGroupCommand({ logGroupName: `/app/service-${i}` }));
  }
  return { sshGroupId };
}
