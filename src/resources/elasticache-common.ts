/**
 * What the ElastiCache types share: their ARNs (`arn:…:elasticache:<region>:<acct>:cluster:<id>`,
 * `…:replicationgroup:<id>`), the tags of one resource, and reading the ID a CloudTrail event's
 * `resourceName` (an ARN, in AddTagsToResource/RemoveTagsFromResource) names.
 */
import type { ElastiCacheClient} from '@aws-sdk/client-elasticache';
import { ListTagsForResourceCommand } from '@aws-sdk/client-elasticache';
import { tagMap } from './shape.ts';
import { parseArn } from './trail-fields.ts';
import type { ScanTarget } from './types.ts';

export type ElastiCacheKind = 'cluster' | 'replicationgroup';

export function elastiCacheArn(target: ScanTarget, kind: ElastiCacheKind, id: string): string {
  return `arn:${target.partition}:elasticache:${target.region}:${target.accountId}:${kind}:${id}`;
}

/** The ID in an ElastiCache ARN of `kind`; undefined for any other ARN. */
export function elastiCacheIdOfArn(value: string | undefined, kind: ElastiCacheKind): string | undefined {
  const arn = parseArn(value);
  if (arn?.service !== 'elasticache' || !arn.resource.startsWith(`${kind}:`)) return undefined;
  return arn.resource.slice(kind.length + 1) || undefined;
}

/** ListTagsForResource of one ElastiCache resource as a map; null when it has none. */
export async function elastiCacheTags(client: ElastiCacheClient, ResourceName: string): Promise<Record<string, string> | null> {
  const { TagList } = await client.send(new ListTagsForResourceCommand({ ResourceName }));
  return tagMap(TagList);
}
