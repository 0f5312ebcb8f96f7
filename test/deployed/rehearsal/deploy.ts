/**
 * `cdk deploy`, rehearsed on moto: the synthesized assets go to the bootstrap bucket under the
 * keys the template names, and the template itself goes through moto's CloudFormation API.
 * What moto cannot create is listed in STAND_INS (and in test/deployed/README.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { pythonExecutable } from '../../../src/core/paths.ts';

export type Json = Record<string, unknown>;

export interface Template {
  Resources: Record<string, { Type: string; Properties?: Json; DependsOn?: string | string[] }>;
  Outputs?: Record<string, Json>;
  Parameters?: Record<string, Json>;
}

/**
 * Resource types moto's CloudFormation cannot create, and how the rehearsal stands in for each.
 * `strip`: removed from the template before CreateStack (moto would fail the stack on it);
 * `ignored`: moto skips it with a warning and the stack still completes.
 */
export const STAND_INS: Record<string, { handling: 'strip' | 'ignored'; standIn: string }> = {
  'AWS::Events::Archive': {
    handling: 'strip',
    standIn: "moto names it <stack>-<logical id>-<suffix>, longer than the API's 48 characters, and fails the stack; replay is an operator action no scenario needs",
  },
  'AWS::Scheduler::Schedule': { handling: 'ignored', standIn: "the rehearsal starts the state machine itself with the schedule target's Input from the template" },
  'AWS::Events::EventBusPolicy': { handling: 'ignored', standIn: 'not needed: moto does not check who may PutEvents; the member rule puts to the central bus from the member account as EventBridge would' },
  'AWS::SQS::QueuePolicy': { handling: 'ignored', standIn: 'not needed: moto delivers rule targets without a queue policy (only a real account proves the EventBridge → SQS grant)' },
  'AWS::S3::BucketPolicy': { handling: 'ignored', standIn: 'not needed: TLS-only and log-delivery policies have no effect on the emulator' },
  'AWS::SNS::TopicPolicy': { handling: 'ignored', standIn: 'not needed: the alarms publish from CloudWatch, which the rehearsal does not run' },
  'AWS::SNS::Subscription': { handling: 'ignored', standIn: 'the email subscription cannot be confirmed; the alert scenario subscribes an SQS queue to the topic to read what it publishes' },
  'AWS::CloudWatch::Alarm': { handling: 'ignored', standIn: 'not rehearsed: alarms need CloudWatch metrics from the real Lambda and Step Functions services' },
  ...Object.fromEntries(
    [
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolGroup',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::UserPoolDomain',
      'AWS::CloudFront::Distribution',
      'AWS::CloudFront::OriginAccessControl',
      'AWS::CloudFront::ResponseHeadersPolicy',
      'AWS::CloudFront::Function',
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::Stage',
      'AWS::ApiGatewayV2::Route',
      'AWS::ApiGatewayV2::Integration',
      'AWS::ApiGatewayV2::Authorizer',
    ].map((type) => [
      type,
      {
        handling: 'strip' as const,
        standIn:
          "the console's edge (moto's CloudFormation has no Cognito, CloudFront or API Gateway v2): the rehearsal invokes the console API function with the API Gateway v2 event the JWT authorizer would pass (verified claims); the edge is checked in test/infra/console.test.ts",
      },
    ]),
  ),
  'Custom::CDKBucketDeployment': {
    handling: 'strip',
    standIn: "the CDK's own custom resource that copies the built console into its bucket at deploy time (with the AWS CLI); with no CloudFront there is nothing to serve it; its singleton handler (CustomCDKBucketDeployment*) goes with it",
  },
};

/** The CDK's singleton handler of Custom::CDKBucketDeployment: its function, role, policy and layer (logical ID prefix). */
const STRIPPED_WITH_BUCKET_DEPLOYMENT = /^CustomCDKBucketDeployment|^ConsoleSpaAwsCliLayer/;

/** Logical IDs a resource or output refers to (Ref, Fn::GetAtt, ${X} in Fn::Sub, DependsOn). */
function referencesOf(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) referencesOf(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Json;
    if (typeof o.Ref === 'string') out.add(o.Ref);
    if (Array.isArray(o['Fn::GetAtt'])) out.add(String(o['Fn::GetAtt'][0]));
    const sub = o['Fn::Sub'];
    const text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
    for (const m of text?.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g) ?? []) out.add(m[1]!);
    for (const v of Object.values(o)) referencesOf(v, out);
  }
  return out;
}

/**
 * Removes the stripped types, then whatever still refers to a removed resource (the API's
 * lambda:InvokeFunction permission, the SPA bucket's policy naming the distribution, the console
 * outputs), until nothing dangles. Returns the removed logical IDs with the reason.
 */
export function strip(template: Template): Map<string, string> {
  const removed = new Map<string, string>();
  for (const [id, r] of Object.entries(template.Resources)) {
    if (STAND_INS[r.Type]?.handling === 'strip') removed.set(id, r.Type);
    else if (STRIPPED_WITH_BUCKET_DEPLOYMENT.test(id)) removed.set(id, 'the BucketDeployment handler');
  }
  for (const id of removed.keys()) delete template.Resources[id];
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, r] of Object.entries(template.Resources)) {
      const refs = referencesOf(r);
      for (const d of [r.DependsOn ?? []].flat()) refs.add(d);
      const dangling = [...refs].find((ref) => removed.has(ref));
      if (dangling) {
        removed.set(id, `refers to ${dangling}`);
        delete template.Resources[id];
        changed = true;
      }
    }
  }
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    if ([...referencesOf(output)].some((ref) => removed.has(ref))) delete template.Outputs![key];
  }
  return removed;
}

/**
 * Where moto's ASL interpreter (LocalStack's grammar as vendored in moto 5.2) cannot read the
 * synthesized definition, each rewrite keeps the semantics the scenarios rely on; every one must
 * match, so a changed definition fails the rehearsal instead of silently skipping a stand-in.
 */
export const DEFINITION_STAND_INS: { what: string; from: RegExp; to: string }[] = [
  {
    what:
      'ItemBatcher is not in the grammar: an ItemSelector hands each child the same {Items, BatchInput} shape with one scope ' +
      '(the child states run unchanged; batching 25 scopes per child is not rehearsed)',
    from: /"ItemBatcher":\{"MaxItemsPerBatch":\d+,"BatchInput":\{"scanId\.\$":"\$\.scanId"\}\}/,
    to: '"ItemSelector":{"Items.$":"States.Array($$.Map.Item.Value)","BatchInput":{"scanId.$":"$.scanId"}}',
  },
  {
    what: 'ToleratedFailurePercentage must be a decimal literal in the grammar (100 → 100.0, the same JSON number)',
    from: /"ToleratedFailurePercentage":(\d+),/,
    to: '"ToleratedFailurePercentage":$1.0,',
  },
];

function rewriteDefinitions(template: Template): void {
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const body = r.Properties!.DefinitionString as string | { 'Fn::Join': [string, unknown[]] };
    const parts = typeof body === 'string' ? [body] : body['Fn::Join'][1];
    for (const standIn of DEFINITION_STAND_INS) {
      const i = parts.findIndex((p) => typeof p === 'string' && standIn.from.test(p));
      if (i < 0) throw new Error(`state machine definition: no match for the stand-in "${standIn.what}"`);
      // A replacer function: `$$` in `to` is literal (JSONPath), only `$1`… name groups.
      parts[i] = (parts[i] as string).replace(standIn.from, (...m: string[]) => standIn.to.replace(/\$(\d)(?!\d)/g, (_, n: string) => m[Number(n)]!));
    }
    if (typeof body === 'string') r.Properties!.DefinitionString = parts[0];
  }
}

/** The default synthesizer's qualifier: its asset bucket and version parameter carry it. */
export const BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** `cdk bootstrap`'s part the deploy needs, as a CloudFormation stack of its own (CDKToolkit):
 *  the asset bucket and the bootstrap version parameter the stack's rule checks. */
async function bootstrap(cfn: CloudFormationClient, accountId: string, region: string): Promise<string> {
  const bucket = `cdk-${BOOTSTRAP_QUALIFIER}-assets-${accountId}-${region}`;
  const template = {
    Resources: {
      StagingBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: bucket } },
      CdkBootstrapVersion: { Type: 'AWS::SSM::Parameter', Properties: { Name: `/cdk-bootstrap/${BOOTSTRAP_QUALIFIER}/version`, Type: 'String', Value: '30' } },
    },
  };
  await cfn.send(new CreateStackCommand({ StackName: 'CDKToolkit', TemplateBody: JSON.stringify(template) }));
  const status = (await cfn.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }))).Stacks![0]!.StackStatus;
  if (status !== 'CREATE_COMPLETE') throw new Error(`CDKToolkit: ${status}`);
  return bucket;
}

interface AssetManifest {
  files: Record<string, { source: { path: string; packaging: 'zip' | 'file' }; destinations: Record<string, { bucketName: string; objectKey: string }> }>;
}

function zipDirectory(dir: string): Buffer {
  const work = mkdtempSync(join(tmpdir(), 'posture-asset-'));
  try {
    const base = join(work, 'asset');
    const r = spawnSync(pythonExecutable(), ['-c', 'import shutil,sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2])', base, dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`zip ${dir}: ${r.stderr}`);
    return readFileSync(`${base}.zip`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface DeployedStack {
  stackName: string;
  template: Template;
  outputs: Record<string, string>;
  /** logical ID → physical ID of every resource moto created. */
  physical: Record<string, string>;
  /** Resources removed before CreateStack (STAND_INS `strip`, and what referred to them), logical ID → why. */
  stripped: Map<string, string>;
  resources: StackResourceSummary[];
  assetBucket: string;
}

/** Uploads the assets like `cdk deploy` (cdk-assets) and creates the stack through CloudFormation. */
export async function deployStack(clients: AwsClients, opts: { assemblyDir: string; stackName: string; accountId: string }): Promise<DeployedStack> {
  const { assemblyDir, stackName, accountId } = opts;
  const region = clients.region;
  const sub = (s: string) => s.replaceAll('${AWS::AccountId}', accountId).replaceAll('${AWS::Region}', region).replaceAll('${AWS::Partition}', 'aws');

  const manifest = JSON.parse(readFileSync(join(assemblyDir, `${stackName}.assets.json`), 'utf8')) as AssetManifest;
  const s3 = clients.get(S3Client);
  const cfn = clients.get(CloudFormationClient);
  const assetBucket = await bootstrap(cfn, accountId, region);
  for (const [, file] of Object.entries(manifest.files)) {
    const source = join(assemblyDir, file.source.path);
    for (const dest of Object.values(file.destinations)) {
      const bucket = sub(dest.bucketName);
      if (bucket !== assetBucket) throw new Error(`asset ${file.source.path}: unexpected bucket ${bucket}`);
      // The template itself is an asset of its own; CreateStack takes it inline.
      if (dest.objectKey.endsWith('.json')) continue;
      const body = file.source.packaging === 'zip' ? zipDirectory(source) : readFileSync(source);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: dest.objectKey, Body: body }));
    }
  }

  const template = JSON.parse(readFileSync(join(assemblyDir, `${stackName}.template.json`), 'utf8')) as Template;
  const deployable = structuredClone(template);
  const stripped = strip(deployable);
  rewriteDefinitions(deployable);
  await cfn.send(new CreateStackCommand({ StackName: stackName, TemplateBody: JSON.stringify(deployable), Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] }));
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0]!;
  if (stack.StackStatus !== 'CREATE_COMPLETE') throw new Error(`${stackName}: ${stack.StackStatus}: ${stack.StackStatusReason ?? ''}`);
  const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
  const resources: StackResourceSummary[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    resources.push(...(page.StackResourceSummaries ?? []));
    token = page.NextToken;
  } while (token);
  const physical = Object.fromEntries(resources.filter((r) => r.PhysicalResourceId).map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!]));
  return { stackName, template, outputs, physical, stripped, resources, assetBucket };
}

/** Logical IDs of the template's resources of one type. */
export const resourcesOfType = (template: Template, type: string): string[] =>
  Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id]) => id);

/** The physical ID of the one resource of `type` whose logical ID starts with `prefix`. */
export function physicalOf(deployed: DeployedStack, type: string, prefix: string): string {
  const ids = resourcesOfType(deployed.template, type).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`${type} ${prefix}*: ${ids.length} resources match`);
  return deployed.physical[ids[0]!]!;
}
