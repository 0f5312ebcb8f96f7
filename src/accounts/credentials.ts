/**
 * Member-account access: assume the audit role with the account's ExternalId and hand out SDK
 * clients bound to those credentials. Credentials are cached per account and refreshed by the
 * SDK shortly before they expire, so a batch of scopes of one account assumes the role once.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { createClients, type AwsClients, type ClientOptions } from '#aws/clients.ts';
import type { Account } from './account.ts';

const REFRESH_MARGIN_MS = 5 * 60_000;

export interface MemberAccess {
  /** Clients acting in the member account (default region `region`). */
  clients(account: Account, region: string): AwsClients;
}

export interface MemberAccessOptions {
  /** Clients of the security account (STS is called through them). */
  base: AwsClients;
  partition: string;
  /**
   * The role assumed in an account that names none of its own: the deployment's audit role name
   * (the Lambdas' AUDIT_ROLE_NAME, a stack's AuditRoleName output, DEFAULT_AUDIT_ROLE_NAME locally).
   */
  defaultRoleName: string;
  endpoint?: string;
  sessionName?: string;
  /** Assume without an ExternalId (`posture scan --role-name` with no `--external-id`). */
  omitExternalId?: boolean;
  /** Timeouts, concurrency caps and call hooks for the member-account clients. */
  clientOptions?: Omit<ClientOptions, 'region' | 'credentials' | 'endpoint'>;
}

export class RoleAssumer implements MemberAccess {
  private readonly providers = new Map<string, () => Promise<AwsCredentialIdentity>>();
  private readonly clientSets = new Map<string, AwsClients>();

  constructor(private readonly opts: MemberAccessOptions) {}

  /** The role assumed in the account: its own name, else the deployment's. */
  roleName(account: Account): string {
    return account.roleName ?? this.opts.defaultRoleName;
  }

  roleArn(account: Account): string {
    return `arn:${this.opts.partition}:iam::${account.accountId}:role/${this.roleName(account)}`;
  }

  private provider(account: Account): () => Promise<AwsCredentialIdentity> {
    const key = `${account.accountId}/${this.roleName(account)}/${account.externalId}`;
    let p = this.providers.get(key);
    if (!p) {
      let cached: AwsCredentialIdentity | undefined;
      let inflight: Promise<AwsCredentialIdentity> | undefined;
      p = async () => {
        if (cached?.expiration && cached.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS) return cached;
        inflight ??= this.assume(account).finally(() => (inflight = undefined));
        cached = await inflight;
        return cached;
      };
      this.providers.set(key, p);
    }
    return p;
  }

  private async assume(account: Account): Promise<AwsCredentialIdentity> {
    try {
      const r = await this.opts.base.get(STSClient).send(
        new AssumeRoleCommand({
          RoleArn: this.roleArn(account),
          RoleSessionName: this.opts.sessionName ?? 'posture-scan',
          ExternalId: this.opts.omitExternalId ? undefined : account.externalId,
          DurationSeconds: 3600,
        }),
      );
      const c = r.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (err) {
      const e = err as Error;
      const how = this.opts.omitExternalId ? '' : ' with its ExternalId';
      const wrapped = new Error(`account ${account.accountId}: cannot assume ${this.roleArn(account)}${how}: ${e.name}: ${e.message}`);
      wrapped.name = e.name || 'AssumeRoleError';
      throw wrapped;
    }
  }

  clients(account: Account, region: string): AwsClients {
    const key = `${account.accountId}/${this.roleName(account)}@${region}`;
    let c = this.clientSets.get(key);
    if (!c) {
      c = createClients({ ...this.opts.clientOptions, meter: 'member', region, endpoint: this.opts.endpoint, credentials: this.provider(account) });
      this.clientSets.set(key, c);
    }
    return c;
  }

  /** Fails fast with a one-line error when the role cannot be assumed. */
  async check(account: Account): Promise<void> {
    await this.provider(account)();
  }
}
