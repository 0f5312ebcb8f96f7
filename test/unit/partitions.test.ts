import { describe, expect, it } from 'vitest';
import { accountRegions, homeRegionOf, partitionOf } from '../../src/core/partitions.ts';

describe('partitions and regions (one declaration)', () => {
  it('maps each region prefix to its partition, ISO regions to their own partitions', () => {
    expect(['us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1'].map(partitionOf)).toEqual([
      'aws',
      'aws',
      'aws-cn',
      'aws-us-gov',
      'aws-iso',
      'aws-iso-b',
    ]);
  });

  it("names each partition's home region", () => {
    expect(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b'].map(homeRegionOf)).toEqual(['us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1']);
  });

  it("splits an account's regions of one partition into enabled and not opted in, minus exclusions, sorted", () => {
    const entries = [
      { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
      { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
      { RegionName: 'ap-east-1', OptInStatus: 'opted-in' },
      { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
      { RegionName: 'us-gov-west-1', OptInStatus: 'opt-in-not-required' },
      { RegionName: 'me-south-1', OptInStatus: 'not-opted-in' },
      {},
    ];
    expect(accountRegions(entries, 'aws', ['eu-west-1', 'me-south-1'])).toEqual({ enabled: ['ap-east-1', 'us-east-1'], notOptedIn: ['af-south-1'] });
    expect(accountRegions(entries, 'aws-us-gov')).toEqual({ enabled: ['us-gov-west-1'], notOptedIn: [] });
  });
});
