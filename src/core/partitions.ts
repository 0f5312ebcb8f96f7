/**
 * AWS partitions and regions, declared once: which partition a region belongs to, each
 * partition's home region (where global services such as IAM answer, and where a bucket without a
 * LocationConstraint lives), and which of an account's regions a scan covers.
 */

/** The partition of a region (`aws` unless the region's prefix names another). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

const HOME_REGIONS: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-iso': 'us-iso-east-1',
  'aws-iso-b': 'us-isob-east-1',
  'aws-eusc': 'eusc-de-east-1',
};

/** The region where a partition's global services answer. */
export function homeRegionOf(partition: string): string {
  return HOME_REGIONS[partition] ?? 'us-east-1';
}

/** A DescribeRegions entry (the fields used here). */
export interface RegionEntry {
  RegionName?: string;
  OptInStatus?: string;
}

/**
 * An account's regions of `partition` (from DescribeRegions with AllRegions), sorted: `enabled`
 * ones it may scan (minus `exclude`), and opt-in regions it has `notOptedIn` (minus `exclude`).
 */
export function accountRegions(entries: readonly RegionEntry[], partition: string, exclude: readonly string[] = []): { enabled: string[]; notOptedIn: string[] } {
  const enabled: string[] = [];
  const notOptedIn: string[] = [];
  for (const e of entries) {
    const name = e.RegionName;
    if (!name || partitionOf(name) !== partition || exclude.includes(name)) continue;
    (e.OptInStatus === 'not-opted-in' ? notOptedIn : enabled).push(name);
  }
  return { enabled: enabled.sort(), notOptedIn: notOptedIn.sort() };
}
