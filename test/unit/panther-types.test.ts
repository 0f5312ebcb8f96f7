/**
 * The Panther-documented resource types: each is either scanned (in the registry) or recorded
 * with the reason it is not, and only those pass as `--known-types`; scans word their note from it.
 */
import { describe, expect, it } from 'vitest';
import { REGISTRY, resourceTypeNames } from '../../src/resources/index.ts';
import { NOT_SCANNED, PANTHER_DOCUMENTED_TYPES, notScannedNotes, unscannedPantherTypes } from '../../src/resources/panther-types.ts';
import { engineTypeArgs } from '../../src/cli/engine-runner.ts';

describe('Panther-documented types', () => {
  it('are scanned or carry the reason they are not; WAF Classic is the retired pair', () => {
    const scanned = new Set(resourceTypeNames());
    expect(unscannedPantherTypes()).toEqual(['AWS.WAF.Regional.WebACL', 'AWS.WAF.WebACL']);
    for (const t of PANTHER_DOCUMENTED_TYPES) expect(scanned.has(t) || t in NOT_SCANNED, t).toBe(true);
    expect(Object.keys(NOT_SCANNED).filter((t) => scanned.has(t))).toEqual([]);
    expect(NOT_SCANNED['AWS.WAF.WebACL']).toMatch(/^WAF Classic was retired by AWS on 2025-09-30/);
  });

  it('reach the engine as --known-types, next to the scanned --resource-types', () => {
    expect(engineTypeArgs()).toEqual(['--resource-types', resourceTypeNames().join(','), '--known-types', 'AWS.WAF.Regional.WebACL,AWS.WAF.WebACL']);
  });

  it('give one note per policy and unscanned type, nothing for scanned types', () => {
    const targets = { 'B.Waf': ['AWS.WAF.WebACL', 'AWS.S3.Bucket'], 'A.S3': ['AWS.S3.Bucket'], 'C.All': [] };
    expect(notScannedNotes(targets)).toEqual([`policy B.Waf targets AWS.WAF.WebACL, which is not scanned: ${NOT_SCANNED['AWS.WAF.WebACL']}`]);
    // A registry without S3 (a subset) names S3 too, with a plain reason.
    const noS3 = REGISTRY.filter((t) => t.type !== 'AWS.S3.Bucket');
    expect(notScannedNotes({ 'A.S3': ['AWS.S3.Bucket'] }, noS3)).toEqual(['policy A.S3 targets AWS.S3.Bucket, which is not scanned: Posture has no scanner for it']);
  });
});
