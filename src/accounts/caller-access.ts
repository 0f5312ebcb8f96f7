/**
 * Access for `posture scan`: the caller's own credentials (the standard SDK chain: environment,
 * profile, SSO, instance role) for the caller's account, and role assumption through those same
 * credentials for other accounts (`--role-name`). The endpoint is the caller's AWS endpoint
 * (AWS_ENDPOINT_URL, e.g. an emulator), never the scan's own embedded store.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { createClients, type AwsClients, type ClientOptions } from '#aws/clients.ts';
import type { Account } from './account.ts';
import { RoleAssumer, type MemberAccess } from './credentials.ts';

export interface CallerIdentity {
  accountId: string;
  arn: string;
  partition: string;
}

export interface CallerAccessOptions {
  /** The caller's AWS endpoint (AWS_ENDPOINT_URL semantics); undefined = AWS. */
  endpoint?: string;
  /** Region of the caller's own calls (STS, Organizations, region listing). */
  region: string;
  /** Role to assume in the scanned accounts; absent: the caller's account is scanned directly. */
  roleName?: string;
  externalId?: string;
  clientOptions?: Omit<ClientOptions, 'region' | 'credentials' | 'endpoint'>;
}

/** Clients acting as the caller, and its identity; throws the SDK's error when no credentials work. */
export async function callerClients(opts: CallerAccessOptions): Promise<{ clients: AwsClients; identity: CallerIdentity; credentials: AwsCredentialIdentityProvider }> {
  const clients = createClients({ ...opts.clientOptions, region: opts.region, endpoint: opts.endpoint, maxAttempts: 3 });
  const sts = clients.get(STSClient);
  const id = await sts.send(new GetCallerIdentityCommand({}));
  const arn = id.Arn ?? `arn:aws:iam::${id.Account}:root`;
  // One resolved credential chain for every client (an SSO or process provider runs once).
  const credentials = sts.config.credentials;
  return { clients, identity: { accountId: id.Account!, arn, partition: arn.split(':')[1] ?? 'aws' }, credentials };
}

export class CallerAccess implements MemberAccess {
  private readonly direct = new Map<string, AwsClients>();
  private readonly assumer: RoleAssumer | undefined;

  constructor(
    private readonly identity: CallerIdentity,
    private readonly credentials: AwsCredentialIdentityProvider,
    private readonly opts: CallerAccessOptions,
  ) {
    if (opts.roleName) {
      const base = createClients({ ...opts.clientOptions, region: opts.region, endpoint: opts.endpoint, credentials });
      this.assumer = new RoleAssumer({
        base,
        partition: identity.partition,
        defaultRoleName: opts.roleName,
        endpoint: opts.endpoint,
        sessionName: 'posture-scan',
        omitExternalId: opts.externalId === undefined,
        clientOptions: opts.clientOptions,
      });
    }
  }

  clients(account: Account, region: string): AwsClients {
    if (this.assumer) return this.assumer.clients(account, region);
    if (account.accountId !== this.identity.accountId) {
      throw Object.assign(new Error(`account ${account.accountId}: not the caller's account (${this.identity.accountId}); give --role-name to assume a role in it`), {
        name: 'AccessDenied',
      });
    }
    let c = this.direct.get(region);
    if (!c) {
      c = createClients({ ...this.opts.clientOptions, region, endpoint: this.opts.endpoint, credentials: this.credentials });
      this.direct.set(region, c);
    }
    return c;
  }
}
