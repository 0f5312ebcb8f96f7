/**
 * AWS.Organizations.ServiceControlPolicy — global, read from the organization's management
 * account (SCPs live there). ListPolicies (SERVICE_CONTROL_POLICY), then per policy DescribePolicy
 * (`Content`, the policy document as the JSON string AWS returns), ListTargetsForPolicy and
 * ListTagsForResource. In an account that is not in an organization, or a member account that
 * may not list the organization's policies, there is nothing of this type to scan: the listing is
 * empty (a management account that is denied still fails, as any unreadable scope does).
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListPoliciesCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
  PolicyTargetSummary$,
  type PolicyTargetSummary,
  type Tag,
} from '@aws-sdk/client-organizations';
import { hasErrorCode } from './aws-errors.ts';
import { shapeList, tagMap } from './shape.ts';
import { distinct, pick, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface ScpRef {
  /** The policy ID (p-…). */
  id: string;
  /** The policy ARN, known from a listing (events name the ID only). */
  arn?: string;
}

export const ORGANIZATIONS_SCP_TYPE = 'AWS.Organizations.ServiceControlPolicy';

/** Policies an event names: request `policyId`, a tagged `resourceId` that is a policy, CreatePolicy's response. */
export function scpRefsOf(d: CloudTrailDetail): ScpRef[] {
  const tagged = req(d, 'resourceId');
  return distinct([req(d, 'policyId'), tagged?.startsWith('p-') ? tagged : undefined, pick(d.responseElements, 'policy', 'policySummary', 'id')]).map((id) => ({ id }));
}

const rescan: EventRule<ScpRef> = { action: 'rescan', refs: scpRefsOf };

/** True when the account is in an organization but is not its management account. */
async function isMemberAccount(ctx: ScanContext, org: OrganizationsClient): Promise<boolean> {
  try {
    const { Organization: o } = await org.send(new DescribeOrganizationCommand({}));
    return o?.MasterAccountId !== undefined && o.MasterAccountId !== ctx.accountId;
  } catch (e) {
    if (hasErrorCode(e, 'AWSOrganizationsNotInUse')) return true;
    throw e;
  }
}

async function allTargets(org: OrganizationsClient, PolicyId: string): Promise<PolicyTargetSummary[]> {
  const out: PolicyTargetSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await org.send(new ListTargetsForPolicyCommand({ PolicyId, NextToken }));
    out.push(...(page.Targets ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

async function allTags(org: OrganizationsClient, ResourceId: string): Promise<Tag[]> {
  const out: Tag[] = [];
  let NextToken: string | undefined;
  do {
    const page = await org.send(new ListTagsForResourceCommand({ ResourceId, NextToken }));
    out.push(...(page.Tags ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

export interface ScpOptions {
  /** ListPolicies MaxResults per page (1–20). */
  pageSize?: number;
}

export function makeScpType(opts: ScpOptions = {}): ResourceType<ScpRef> {
  const pageSize = opts.pageSize ?? 20;
  return {
    type: ORGANIZATIONS_SCP_TYPE,
    service: 'organizations',
    scope: 'global',
    eventSource: 'organizations.amazonaws.com',

    async list(ctx, pageToken) {
      const org = ctx.clients.get(OrganizationsClient, ctx.region);
      try {
        const page = await org.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY', MaxResults: pageSize, NextToken: pageToken }));
        const refs = (page.Policies ?? []).flatMap((p) => (p.Id ? [{ id: p.Id, ...(p.Arn ? { arn: p.Arn } : {}) }] : []));
        return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
      } catch (e) {
        if (hasErrorCode(e, 'AWSOrganizationsNotInUse')) return { refs: [] };
        if (hasErrorCode(e, 'AccessDenied') && (await isMemberAccount(ctx, org))) return { refs: [] };
        throw e;
      }
    },

    async describe(ctx, ref) {
      const org = ctx.clients.get(OrganizationsClient, ctx.region);
      try {
        const { Policy: policy } = await org.send(new DescribePolicyCommand({ PolicyId: ref.id }));
        const s = policy?.PolicySummary;
        if (!s?.Id || !s.Arn) return null;
        const [targets, tags] = await Promise.all([allTargets(org, s.Id), s.AwsManaged ? Promise.resolve([]) : allTags(org, s.Id)]);
        const resource: Resource = {
          ResourceId: s.Arn,
          ResourceType: ORGANIZATIONS_SCP_TYPE,
          TimeCreated: null,
          AccountId: ctx.accountId,
          Region: 'global',
          Arn: s.Arn,
          Id: s.Id,
          Name: s.Name ?? null,
          Tags: tagMap(tags),
          Description: s.Description ?? null,
          Type: s.Type ?? null,
          AwsManaged: s.AwsManaged ?? null,
          Content: policy?.Content ?? null,
          Targets: shapeList(PolicyTargetSummary$, [...targets].sort((a, b) => (a.TargetId ?? '').localeCompare(b.TargetId ?? ''))),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'PolicyNotFound', 'TargetNotFound')) return null;
        throw e;
      }
    },

    resourceId(_target, ref) {
      // The ARN names the organization: known from a listing, not from an event (the real-time
      // path then reconciles the scope).
      return ref.arn;
    },

    events: {
      CreatePolicy: rescan,
      UpdatePolicy: rescan,
      DeletePolicy: { action: 'delete', refs: scpRefsOf },
      AttachPolicy: rescan,
      DetachPolicy: rescan,
      TagResource: rescan,
      UntagResource: rescan,
      EnablePolicyType: { action: 'rescan-account' },
      DisablePolicyType: { action: 'rescan-account' },
    },

    // SecurityAudit covers every call: organizations:ListPolicies, DescribePolicy,
    // ListTargetsForPolicy, ListTagsForResource, DescribeOrganization.
    // ListPolicies per page; per policy DescribePolicy, ListTargetsForPolicy and (customer policies) ListTagsForResource.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'Description', type: 'string | null', description: 'The policy description.' },
      { name: 'Type', type: 'string', description: 'SERVICE_CONTROL_POLICY.' },
      { name: 'AwsManaged', type: 'boolean', description: 'True for AWS\'s FullAWSAccess policy.' },
      { name: 'Content', type: 'string', description: 'The policy document as a JSON string.' },
      { name: 'Targets', type: 'list<{TargetId, Arn, Name, Type}> | null', description: 'The roots, organizational units and accounts the policy is attached to (ListTargetsForPolicy), by TargetId; null when attached nowhere.' },
    ],
  };
}

export const ORGANIZATIONS_SCP: ResourceType<ScpRef> = makeScpType();
