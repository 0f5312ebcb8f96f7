/**
 * The starting point of a new policy in the console's editor: a complete, valid spec for one
 * resource type (a PolicyID under Custom., tests for both outcomes) and its Python source, so the
 * draft runs its tests and bundles before the author changes anything.
 */

export interface PolicyTemplate {
  spec: { AnalysisType: 'policy'; PolicyID: string; Filename: string } & Record<string, unknown>;
  source: string;
}

/** `AWS.S3.Bucket` → `Custom.AWS.S3.Bucket.NewPolicy`, file `custom_aws_s3_bucket_new_policy.py`. */
export function policyTemplate(resourceType: string): PolicyTemplate {
  const policyId = `Custom.${resourceType}.NewPolicy`;
  const filename = `${policyId.toLowerCase().replace(/[^a-z0-9]+/g, '_')}.py`;
  return {
    spec: {
      AnalysisType: 'policy',
      PolicyID: policyId,
      Filename: filename,
      DisplayName: `New ${resourceType} policy`,
      Enabled: true,
      ResourceTypes: [resourceType],
      Severity: 'Medium',
      Description: 'What this policy checks and why it matters.',
      Runbook: 'How to fix a failing resource.',
      Reference: '',
      Tags: ['Custom'],
      Reports: {},
      Tests: [
        { Name: 'Tagged resource passes', ExpectedResult: true, Resource: { ResourceType: resourceType, Tags: { owner: 'team' } } },
        { Name: 'Untagged resource fails', ExpectedResult: false, Resource: { ResourceType: resourceType, Tags: null } },
      ],
    },
    source: [
      'def policy(resource):',
      '    # True: compliant (PASS); False: FAIL.',
      "    return bool(resource.get('Tags'))",
      '',
      '',
      'def title(resource):',
      "    return f\"{resource.get('ResourceId')} has no tags\"",
      '',
    ].join('\n'),
  };
}
