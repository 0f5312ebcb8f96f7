/**
 * AWS.AccessAnalyzer.Analyzer.Meta — one per account: which enabled regions have an active IAM
 * Access Analyzer analyzer (CIS 1.20 asks for one in every region), like
 * AWS.GuardDuty.Detector.Meta does for detectors.
 */
import { perRegion } from './account-regions.ts';
import { listAllAnalyzers } from './accessanalyzer-analyzer.ts';
import type { ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

/** The account's single summary needs no reference data. */
export type AnalyzerMetaRef = Record<string, never>;

export const ACCESSANALYZER_ANALYZER_META_TYPE = 'AWS.AccessAnalyzer.Analyzer.Meta';

const resourceId = (target: Pick<ScanTarget, 'accountId'>) => `${target.accountId}::${ACCESSANALYZER_ANALYZER_META_TYPE}`;

export const ACCESSANALYZER_ANALYZER_META: ResourceType<AnalyzerMetaRef> = {
  type: ACCESSANALYZER_ANALYZER_META_TYPE,
  service: 'access-analyzer',
  scope: 'global',
  eventSource: 'access-analyzer.amazonaws.com',

  async list() {
    return { refs: [{}] };
  },

  async describe(ctx) {
    const found = await perRegion(ctx, async (region) => (await listAllAnalyzers(ctx, region)).filter((a) => a.status === 'ACTIVE' && a.arn).map((a) => a.arn!).sort());
    const resource: Resource = {
      ResourceId: resourceId(ctx),
      ResourceType: ACCESSANALYZER_ANALYZER_META_TYPE,
      TimeCreated: null,
      AccountId: ctx.accountId,
      Region: 'global',
      Arn: null,
      Id: null,
      Name: ACCESSANALYZER_ANALYZER_META_TYPE,
      Tags: null,
      // [] when there is none: policies iterate these lists.
      Analyzers: found.flatMap((r) => r.value),
      RegionsWithoutAnalyzer: found.filter((r) => r.value.length === 0).map((r) => r.region),
    };
    return resource;
  },

  resourceId(target) {
    return resourceId(target);
  },

  events: {
    CreateAnalyzer: { action: 'rescan-account' },
    DeleteAnalyzer: { action: 'rescan-account' },
  },

  // SecurityAudit covers every call: ec2:DescribeRegions, access-analyzer:ListAnalyzers.
  // Nothing to list; per scope DescribeRegions, per scanned region ListAnalyzers.
  apiCalls: { perPage: 0, perResource: 0, perScope: 1, perRegion: 1 },
  iamActions: [],

  attributes: [
    { name: 'Analyzers', type: 'list<string>', description: 'ARNs of the ACTIVE analyzers (any type) in the account\'s enabled regions, by region; [] when there is none.' },
    { name: 'RegionsWithoutAnalyzer', type: 'list<string>', description: 'The enabled, scanned regions with no ACTIVE analyzer, sorted; [] when every region has one.' },
  ],
};
