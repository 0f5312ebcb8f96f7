/**
 * AWS.AccessAnalyzer.Analyzer — regional IAM Access Analyzer analyzers (external access and
 * unused access, account or organization zone of trust). ListAnalyzers returns each analyzer
 * whole, so a scan describes from the listing; a rescan asks GetAnalyzer. The API's camelCase
 * members are PascalCased (`status` → `Status`) as Panther's model does.
 */
import {
  AccessAnalyzerClient,
  AnalyzerSummary$,
  GetAnalyzerCommand,
  ListAnalyzersCommand,
  type AnalyzerSummary,
  type ListAnalyzersCommandInput,
  type ListAnalyzersCommandOutput,
} from '@aws-sdk/client-accessanalyzer';
import { NOT_IMPLEMENTED, orNotImplemented } from './not-implemented.ts';
import { hasErrorCode } from './aws-errors.ts';
import { iso } from './shape.ts';
import { apiFields, pascalShape } from './shape-pascal.ts';
import { remember, take } from './scope-cache.ts';
import { distinct, parseArn, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface AnalyzerRef {
  name: string;
}

export const ACCESSANALYZER_ANALYZER_TYPE = 'AWS.AccessAnalyzer.Analyzer';

export const analyzerArn = (target: ScanTarget, name: string) => `arn:${target.partition}:access-analyzer:${target.region}:${target.accountId}:analyzer/${name}`;

const memoKey = (ctx: ScanContext, name: string) => `access-analyzer:${ctx.region}:${name}`;

const analyzerOfArn = (arn: string | undefined) => {
  const p = parseArn(arn);
  return p?.service === 'access-analyzer' ? /^analyzer\/([^/]+)/.exec(p.resource)?.[1] : undefined;
};

/** Analyzers an event names: request `analyzerName`, a tagged `resourceArn`. */
export function analyzerRefsOf(d: CloudTrailDetail): AnalyzerRef[] {
  return distinct([req(d, 'analyzerName'), analyzerOfArn(req(d, 'resourceArn'))]).map((name) => ({ name }));
}

const rescan: EventRule<AnalyzerRef> = { action: 'rescan', refs: analyzerRefsOf };

/**
 * One ListAnalyzers page; an endpoint without the service (the emulator: moto has no IAM Access
 * Analyzer) holds no analyzer, which reads as "none" — never as compliant: CIS 1.20 then fails.
 */
async function listPage(ctx: ScanContext, region: string, input: ListAnalyzersCommandInput): Promise<ListAnalyzersCommandOutput> {
  const aa = ctx.clients.get(AccessAnalyzerClient, region);
  const page = await orNotImplemented({ ...ctx, region }, 'access-analyzer:ListAnalyzers', new ListAnalyzersCommand(input), (c) => aa.send(c));
  return page === NOT_IMPLEMENTED ? { analyzers: [], $metadata: {} } : page;
}

/** Every analyzer of `region`, all pages. */
export async function listAllAnalyzers(ctx: ScanContext, region: string): Promise<AnalyzerSummary[]> {
  const out: AnalyzerSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await listPage(ctx, region, { nextToken });
    out.push(...(page.analyzers ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

export interface AnalyzerOptions {
  /** ListAnalyzers maxResults per page. */
  pageSize?: number;
}

export function makeAnalyzerType(opts: AnalyzerOptions = {}): ResourceType<AnalyzerRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: ACCESSANALYZER_ANALYZER_TYPE,
    service: 'access-analyzer',
    scope: 'regional',
    eventSource: 'access-analyzer.amazonaws.com',

    async list(ctx, pageToken) {
      const page = await listPage(ctx, ctx.region, { maxResults: pageSize, nextToken: pageToken });
      const refs = (page.analyzers ?? []).flatMap((a) => {
        if (!a.name) return [];
        remember(ctx, memoKey(ctx, a.name), a);
        return [{ name: a.name }];
      });
      return { refs, ...(page.nextToken ? { nextPageToken: page.nextToken } : {}) };
    },

    async describe(ctx, ref) {
      const aa = ctx.clients.get(AccessAnalyzerClient, ctx.region);
      let analyzer = await take<AnalyzerSummary>(ctx, memoKey(ctx, ref.name));
      if (!analyzer) {
        try {
          analyzer = (await aa.send(new GetAnalyzerCommand({ analyzerName: ref.name }))).analyzer;
        } catch (e) {
          if (hasErrorCode(e, 'ResourceNotFound')) return null;
          throw e;
        }
      }
      if (!analyzer?.name) return null;
      const arn = analyzer.arn ?? analyzerArn(ctx, analyzer.name);
      const resource: Resource = {
        ResourceId: arn,
        ResourceType: ACCESSANALYZER_ANALYZER_TYPE,
        TimeCreated: iso(analyzer.createdAt),
        AccountId: ctx.accountId,
        Region: ctx.region,
        Arn: arn,
        Id: null,
        Name: analyzer.name,
        Tags: analyzer.tags && Object.keys(analyzer.tags).length > 0 ? { ...analyzer.tags } : null,
        ...apiFields(pascalShape(AnalyzerSummary$, analyzer), 'Arn', 'Name', 'Tags'),
      };
      return resource;
    },

    resourceId(target, ref) {
      return analyzerArn(target, ref.name);
    },

    events: {
      CreateAnalyzer: rescan,
      DeleteAnalyzer: { action: 'delete', refs: analyzerRefsOf },
      UpdateAnalyzer: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers every call: access-analyzer:ListAnalyzers, access-analyzer:GetAnalyzer.
    // ListAnalyzers per page (its summaries are the model); a rescan calls GetAnalyzer.
    apiCalls: { perPage: 1, perResource: 0, perScope: 0 },
    iamActions: [],
    // Move with every analysis, not with configuration.
    volatileAttributes: ['LastResourceAnalyzed', 'LastResourceAnalyzedAt'],

    attributes: [
      { name: 'Type', type: 'string', description: 'ACCOUNT, ORGANIZATION (external access), ACCOUNT_UNUSED_ACCESS, ORGANIZATION_UNUSED_ACCESS, ACCOUNT_INTERNAL_ACCESS or ORGANIZATION_INTERNAL_ACCESS.' },
      { name: 'CreatedAt', type: 'timestamp', description: 'When the analyzer was created (also TimeCreated).' },
      { name: 'Status', type: 'string', description: 'ACTIVE, CREATING, DISABLED or FAILED.' },
      { name: 'LastResourceAnalyzed', type: 'string | null', description: 'The last resource analyzed (volatile: left out of the change hash).' },
      { name: 'LastResourceAnalyzedAt', type: 'timestamp | null', description: 'When it was analyzed (volatile).' },
      { name: 'StatusReason', type: '{Code} | null', description: 'Why the analyzer is FAILED or DISABLED (AWS_SERVICE_ACCESS_DISABLED, DELEGATED_ADMINISTRATOR_DEREGISTERED, ORGANIZATION_DELETED, SERVICE_LINKED_ROLE_CREATION_FAILED).' },
      { name: 'Configuration', type: '{UnusedAccess, InternalAccess} | null', description: 'Settings of an unused-access analyzer (UnusedAccessAge in days, AnalysisRule) or an internal-access analyzer.' },
      { name: 'ManagedBy', type: 'string | null', description: 'The AWS service that manages the analyzer, if any.' },
    ],
  };
}

export const ACCESSANALYZER_ANALYZER: ResourceType<AnalyzerRef> = makeAnalyzerType();
