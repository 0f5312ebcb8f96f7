/**
 * AWS.Transfer.Server — regional: AWS Transfer Family servers (SFTP, FTPS, FTP, AS2). ListServers
 * pages name them; `describe` reads DescribeServer (protocols, endpoint, identity provider,
 * security policy, logging, tags); its Arn is the common Arn.
 */
import { DescribedServer$, DescribeServerCommand, ListServersCommand, TransferClient } from '@aws-sdk/client-transfer';
import { hasErrorCode } from './aws-errors.ts';
import { shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface TransferServerRef {
  id: string;
}

export const TRANSFER_SERVER_TYPE = 'AWS.Transfer.Server';

export function transferServerArn(target: ScanTarget, id: string): string {
  return `arn:${target.partition}:transfer:${target.region}:${target.accountId}:server/${id}`;
}

/** The server of a Transfer ARN (`…:server/<id>`; a user's `…:user/<server>/<user>` names its server too). */
const idOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'transfer' ? /^(?:server|user)\/([^/]+)/.exec(arn.resource)?.[1] : undefined;
};

/** The servers an event names: request `serverId`, the tag calls' `arn`, CreateServer's response `serverId`. */
export function transferServerRefsOf(d: CloudTrailDetail): TransferServerRef[] {
  return distinct([req(d, 'serverId'), idOfArn(req(d, 'arn')), res(d, 'serverId')]).map((id) => ({ id }));
}

const rescan: EventRule<TransferServerRef> = { action: 'rescan', refs: transferServerRefsOf };

export interface TransferServerOptions {
  /** ListServers MaxResults per page (1–1000). */
  pageSize?: number;
}

export function makeTransferServerType(opts: TransferServerOptions = {}): ResourceType<TransferServerRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: TRANSFER_SERVER_TYPE,
    asffType: 'AwsTransferServer',
    service: 'transfer',
    scope: 'regional',
    eventSource: 'transfer.amazonaws.com',

    async list(ctx, pageToken) {
      const transfer = ctx.clients.get(TransferClient, ctx.region);
      const page = await transfer.send(new ListServersCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs = (page.Servers ?? []).flatMap((s) => (s.ServerId ? [{ id: s.ServerId }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const transfer = ctx.clients.get(TransferClient, ctx.region);
      try {
        const { Server: server } = await transfer.send(new DescribeServerCommand({ ServerId: ref.id }));
        if (!server?.ServerId) return null;
        const arn = transferServerArn(ctx, server.ServerId);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: TRANSFER_SERVER_TYPE,
          // DescribeServer does not tell when the server was created.
          TimeCreated: null,
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: server.ServerId,
          Name: null,
          Tags: tagMap(server.Tags),
          ...apiFields(shape(DescribedServer$, server), 'Tags'),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe call.
        if (hasErrorCode(e, 'ResourceNotFoundException')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return transferServerArn(target, ref.id);
    },

    events: {
      CreateServer: rescan,
      UpdateServer: rescan,
      StartServer: rescan,
      StopServer: rescan,
      DeleteServer: { action: 'delete', refs: transferServerRefsOf },
      CreateUser: rescan,
      DeleteUser: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers every call: transfer:List* (ListServers), transfer:Describe* (DescribeServer).
    // ListServers per page; DescribeServer per server.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'Certificate', type: 'string | null', description: 'The ACM certificate of an FTPS server.' },
      { name: 'ProtocolDetails', type: 'ProtocolDetails | null', description: '{PassiveIp, TlsSessionResumptionMode, SetStatOption, As2Transports}.' },
      { name: 'Domain', type: 'string | null', description: 'S3 or EFS: where files are stored.' },
      { name: 'EndpointDetails', type: '{AddressAllocationIds, SubnetIds, VpcEndpointId, VpcId, SecurityGroupIds} | null', description: 'The VPC endpoint of a VPC server.' },
      { name: 'EndpointType', type: 'string | null', description: 'PUBLIC, VPC or VPC_ENDPOINT.' },
      { name: 'HostKeyFingerprint', type: 'string | null', description: 'Fingerprint of the SFTP host key.' },
      { name: 'IdentityProviderDetails', type: 'IdentityProviderDetails | null', description: '{Url, InvocationRole, DirectoryId, Function, SftpAuthenticationMethods} of a custom or directory identity provider.' },
      { name: 'IdentityProviderType', type: 'string | null', description: 'SERVICE_MANAGED, API_GATEWAY, AWS_DIRECTORY_SERVICE or AWS_LAMBDA.' },
      { name: 'LoggingRole', type: 'string | null', description: 'The role that writes logs to CloudWatch Logs; null when logging is off.' },
      { name: 'PostAuthenticationLoginBanner', type: 'string | null', description: 'Banner after login.' },
      { name: 'PreAuthenticationLoginBanner', type: 'string | null', description: 'Banner before login.' },
      { name: 'Protocols', type: 'list<string> | null', description: 'SFTP, FTPS, FTP and/or AS2.' },
      { name: 'SecurityPolicyName', type: 'string | null', description: 'The cryptographic security policy, e.g. TransferSecurityPolicy-2024-01.' },
      { name: 'ServerId', type: 'string', description: 'The server ID (also Id).' },
      { name: 'State', type: 'string | null', description: 'OFFLINE, ONLINE, STARTING, STOPPING, START_FAILED or STOP_FAILED.' },
      { name: 'UserCount', type: 'integer | null', description: 'Number of service-managed users.' },
      { name: 'WorkflowDetails', type: '{OnUpload, OnPartialUpload} | null', description: 'Workflows run on uploads.' },
      { name: 'StructuredLogDestinations', type: 'list<string> | null', description: 'Log groups receiving structured JSON logs.' },
      { name: 'S3StorageOptions', type: '{DirectoryListingOptimization} | null', description: 'S3 listing options.' },
      { name: 'As2ServiceManagedEgressIpAddresses', type: 'list<string> | null', description: 'Egress addresses of AS2 connectors.' },
      { name: 'IpAddressType', type: 'string | null', description: 'IPV4 or DUALSTACK.' },
    ],
  };
}

export const TRANSFER_SERVER: ResourceType<TransferServerRef> = makeTransferServerType();
