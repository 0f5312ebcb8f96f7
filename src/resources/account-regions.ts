/**
 * Helpers for the per-account "Meta" types, which summarize a service across every region of an
 * account (AWS.CloudTrail.Meta, AWS.Config.Recorder.Meta, AWS.GuardDuty.Detector.Meta): the
 * account's enabled regions, memoized once per scope.
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { ScanContext } from './types.ts';
import { scopeMemo } from './scope-cache.ts';
import { accountRegions } from '#core/partitions.ts';


/** The account's enabled regions of the scope's partition (DescribeRegions, opt-in aware:
 *  regions the account has not opted into are left out) minus the regions the account excludes
 *  from scanning, sorted, fetched once per scope. */
export function enabledRegions(ctx: ScanContext): Promise<string[]> {
  return scopeMemo(ctx, 'ec2:enabled-regions', async () => {
    const out = await ctx.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }));
    return accountRegions(out.Regions ?? [], ctx.partition, ctx.excludeRegions).enabled;
  });
}

/** `fn` applied to every enabled region in parallel; results in region order. */
export async function perRegion<T>(ctx: ScanContext, fn: (region: string) => Promise<T>): Promise<{ region: string; value: T }[]> {
  const regions = await enabledRegions(ctx);
  return Promise.all(regions.map(async (region) => ({ region, value: await fn(region) })));
}
