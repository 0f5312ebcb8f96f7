/**
 * The resource-type registry contract (DESIGN §2). Each resource type is one module exporting a
 * `ResourceType`; scan planning, the real-time event map, IAM permissions, the member EventBridge
 * filter and the attribute docs are all derived from these declarations.
 */
import type { AwsClients } from '#aws/clients.ts';
import type { Resource } from '#core/resource.ts';

/** Where a scan runs: one account, one region ("global" types run in the partition's home region). */
export interface ScanTarget {
  accountId: string;
  /** AWS region of the API calls. For global types, the partition's home region (us-east-1). */
  region: string;
  partition: string;
}

export interface ScanContext extends ScanTarget {
  /** SDK clients already bound to the member account's assumed-role credentials. */
  clients: AwsClients;
  /** Memo shared by one scope's pages (e.g. the IAM credential report is fetched once). */
  cache: Map<string, Promise<unknown>>;
  now: () => Date;
  /** Regions the account excludes from scanning: types that span regions (the Meta types) skip them too. */
  excludeRegions?: readonly string[];
}

export interface ListPage<Ref> {
  refs: Ref[];
  nextPageToken?: string;
}

/** The `detail` of an EventBridge "AWS API Call via CloudTrail" event (the fields we use). */
export interface CloudTrailDetail {
  eventID: string;
  eventName: string;
  eventSource: string;
  eventTime: string;
  awsRegion: string;
  recipientAccountId?: string;
  errorCode?: string;
  readOnly?: boolean;
  userIdentity?: Record<string, unknown>;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
}

export type EventAction =
  /** describe the named resources again (a resource that is gone is tombstoned) */
  | 'rescan'
  /** the named resources were deleted */
  | 'delete'
  /** rescan every resource of the type in the event's region */
  | 'rescan-region'
  /** rescan every resource of the type in the account (e.g. account-wide settings) */
  | 'rescan-account';

export interface EventRule<Ref> {
  action: EventAction;
  /** For rescan/delete: the resources the event names. Return [] when it names none. */
  refs?: (detail: CloudTrailDetail) => Ref[];
  /** Seconds to wait before rescanning, for resources not readable right after the call. */
  settleSeconds?: number;
}

export interface AttributeDoc {
  name: string;
  type: string;
  description: string;
}

/**
 * The AWS API calls a scan of this type needs at minimum: per list page, per described resource
 * (without optional sub-resources such as each inline policy), and once per scope (e.g. the IAM
 * credential report). bench:scan compares what a scan really calls with what this declares.
 */
export interface ApiCallCost {
  perPage: number;
  perResource: number;
  perScope: number;
  /** For types that span the account's regions (the Meta types): calls per scanned region. */
  perRegion?: number;
}

export interface ResourceType<Ref = unknown> {
  /** Panther type name, e.g. `AWS.S3.Bucket`. */
  type: string;
  /** Security Hub's resource type (ASFF `Resources[].Type`, e.g. `AwsS3Bucket`); absent: `Other`. */
  asffType?: string;
  /** Service prefix as used in IAM actions and CloudTrail sources, e.g. `s3`. */
  service: string;
  /** `regional`: one scope per enabled region; `global`: one scope per account. */
  scope: 'regional' | 'global';
  /** CloudTrail `eventSource` of its events, e.g. `s3.amazonaws.com`. */
  eventSource: string;
  /** One page of references to resources. `pageToken` is opaque and JSON-serializable. */
  list(ctx: ScanContext, pageToken?: string): Promise<ListPage<Ref>>;
  /** The full Panther-model resource, or null when it no longer exists. */
  describe(ctx: ScanContext, ref: Ref): Promise<Resource | null>;
  /** The ResourceId a ref stands for; undefined when the ref alone cannot tell (then the
   *  real-time path reconciles the scope instead). Refs returned by `list` must always resolve. */
  resourceId(target: ScanTarget, ref: Ref): string | undefined;
  /** CloudTrail write events (by eventName) that change resources of this type. */
  events: Record<string, EventRule<Ref>>;
  /**
   * Write events of other services that change this type's resources, by eventSource then
   * eventName: a WAFv2 association changes an ALB's `WebAcl`, an Application Auto Scaling target
   * changes a DynamoDB table's `AutoScalingDescriptions`. Refs that name no resource of this type
   * (say, an API Gateway stage) are ignored.
   */
  relatedEvents?: Record<string, Record<string, EventRule<Ref>>>;
  /** IAM actions the scan needs in the member account, beyond AWS's SecurityAudit policy. */
  iamActions: string[];
  /** Type-specific top-level attributes (the common keys are documented once). */
  attributes: AttributeDoc[];
  apiCalls: ApiCallCost;
  /**
   * Attributes that change without any configuration change (last-used dates): left out of the
   * change hash, so a daily scan does not rewrite the resource for them. Top-level keys or dotted
   * paths into nested objects. Policies still evaluate the fresh values; the stored copy takes
   * them with the next real change.
   */
  volatileAttributes?: readonly string[];
  /**
   * Secret-bearing attribute values (DESIGN §7): replaced by `"<redacted by Posture>"` in every
   * resource the registry describes, keys kept, before anything hashes, stores, evaluates or
   * sends it (see redact.ts for the path grammar: `Name`, `Name[]`, `*`), e.g.
   * `Environment.Variables.*`.
   */
  secretAttributes?: readonly string[];
  /**
   * Types whose stored resources this type's built-in policies read with `resource_lookup` (an IAM
   * user's groups and customer-managed policies). A scan stores those before evaluating this type
   * where it can (the local runtime waits for them per account), so a first scan answers the lookups.
   */
  lookupsFrom?: readonly string[];
}
