/** Shared by the SSM types: tag reads and the tag events, which name a resource by type and ID. */
import { ListTagsForResourceCommand, type ResourceTypeForTagging, type SSMClient } from '@aws-sdk/client-ssm';
import { tagMap } from './shape.ts';
import { req } from './trail-fields.ts';
import type { CloudTrailDetail } from './types.ts';

/** The resource's tags as a map; null when it has none. */
export async function ssmTags(ssm: SSMClient, ResourceType: ResourceTypeForTagging, ResourceId: string): Promise<Record<string, string> | null> {
  const r = await ssm.send(new ListTagsForResourceCommand({ ResourceType, ResourceId }));
  return tagMap(r.TagList);
}

/** The ID of an AddTagsToResource/RemoveTagsFromResource event when it tags a resource of `type`. */
export function taggedId(d: CloudTrailDetail, type: ResourceTypeForTagging): string | undefined {
  return req(d, 'resourceType') === type ? req(d, 'resourceId') : undefined;
}
