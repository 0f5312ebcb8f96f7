/**
 * What the ELBv2 load balancer types (application: elbv2-application-load-balancer.ts, network:
 * elbv2-network-load-balancer.ts) share: reading tags in DescribeTags-sized chunks, and finding the
 * load balancers of one kind that a CloudTrail event names.
 */
import { DescribeTagsCommand, type ElasticLoadBalancingV2Client, type Tag } from '@aws-sdk/client-elastic-load-balancing-v2';
import { isObj } from './ec2-common.ts';
import type { CloudTrailDetail } from './types.ts';

/** DescribeTags takes at most 20 ARNs a call. */
export const TAGS_PER_CALL = 20;

/** Each ARN's tags (undefined for one DescribeTags did not answer), TAGS_PER_CALL at a time. */
export async function tagsOf(elb: ElasticLoadBalancingV2Client, arns: readonly string[]): Promise<Map<string, Tag[] | undefined>> {
  const out = new Map<string, Tag[] | undefined>();
  for (let i = 0; i < arns.length; i += TAGS_PER_CALL) {
    const r = await elb.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + TAGS_PER_CALL) }));
    for (const d of r.TagDescriptions ?? []) if (d.ResourceArn) out.set(d.ResourceArn, d.Tags);
  }
  return out;
}

const LB_ARN = /^(arn:[^:]+:elasticloadbalancing:[^:]+:\d{12}:)(loadbalancer|listener)\/(app|net|gwy)\/([^/]+)\/([0-9a-f]+)(\/[0-9a-f]+)?$/;

/**
 * The load balancer ARNs of `kind` (`app`, `net`) an event names anywhere in its request or
 * response (e.g. `loadBalancerArn`, `loadBalancers[].loadBalancerArn`, `resourceArns[]`), listener
 * ARNs mapped to their load balancer; sorted. Load balancers of other kinds are left out.
 */
export function loadBalancerArnsOfKind(d: CloudTrailDetail, kind: 'app' | 'net'): { arn: string }[] {
  const found = new Set<string>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 10) return;
    if (typeof v === 'string') {
      const m = LB_ARN.exec(v);
      if (m && m[3] === kind && (m[2] === 'loadbalancer' ? !m[6] : m[6])) found.add(`${m[1]}loadbalancer/${kind}/${m[4]}/${m[5]}`);
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
    } else if (isObj(v)) {
      for (const x of Object.values(v)) visit(x, depth + 1);
    }
  };
  visit(d.requestParameters, 0);
  visit(d.responseElements, 0);
  return [...found].sort().map((arn) => ({ arn }));
}
