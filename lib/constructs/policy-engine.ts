/**
 * The Python policy engine: a pure function (resources + bundle → results) that the scan and the
 * real-time path invoke synchronously. Its code is python-runtime/function/; the engine package
 * comes in a layer built by `python -m posture_engine.build_layer` with the project's Python,
 * never with Docker offline. The built-in pack is deployed as a versioned policy bundle (the zip
 * `posture bundle` writes, tests run first) in S3: the engine loads it by its content-addressed key
 * once per container. The layer's /opt/posture/bundle.zip is the same pack, kept as the fallback
 * the engine uses when no S3 bundle is configured.
 *
 * `posture upload` publishes a pack without a redeploy: it writes the bundle zip to a fixed key
 * (ACTIVE_BUNDLE_KEY) of this construct's policy bucket, which the engine checks once per
 * BUNDLE_TTL_SECONDS (python-runtime/posture_engine/active_bundle.py); while that key is absent
 * the built-in bundle above is used.
 */
import { engineEnv } from '#core/engine-env.ts';
import { choiceEnv, type FrameworkChoice } from '#compliance/frameworks/selection.ts';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, BundlingOutput, DockerImage, Duration, FileSystem } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { projectRoot, pythonExecutable } from '#core/paths.ts';
import { ACTIVE_BUNDLE_KEY, BUNDLE_TTL_SECONDS, DRAFTS_PREFIX } from '#publish/active-bundle.ts';
import { acknowledge, acknowledgeWildcardResource, REASONS } from '../nag.ts';
import { functionBasics } from './node-function.ts';
import { LAMBDA_MEMORY_MB } from '#aws/sizing.ts';
import { privateBucket } from './buckets.ts';

export const ENGINE_DIR = join(projectRoot, 'python-runtime');
export const POLICIES_DIR = join(projectRoot, 'policies');
/** Where build_layer puts the bundle inside the layer (layers are mounted at /opt). */
export const BUNDLE_PATH = '/opt/posture/bundle.zip';
/**
 * The engine function's runtime and architecture: the one declaration the function, its layer and
 * the layer build (build_layer --lambda-runtime/--architecture: a pack's requirements.txt is
 * vendored for exactly this platform, not the build machine's) all use.
 */
export const PYTHON_RUNTIME = lambda.Runtime.PYTHON_3_13;
export const ENGINE_ARCHITECTURE = lambda.Architecture.ARM_64;
/** build_layer's arguments for the engine's platform. */
export const LAYER_PLATFORM_ARGS = ['--lambda-runtime', PYTHON_RUNTIME.name, '--architecture', ENGINE_ARCHITECTURE.name] as const;
/** Used only when POSTURE_LAYER_BUNDLING=docker (no local Python); the build vendors for ENGINE_ARCHITECTURE either way. */
const BUILD_IMAGE = 'public.ecr.aws/sam/build-python3.13';

const IGNORED = ['**/__pycache__', '**/*.pyc', '.pytest_cache', 'tests'];

export interface PolicyEngineProps {
  /** Every resource type a spec may name: the registry's (src/resources) and the Panther-documented ones it does not scan (panther-types.ts); specs naming others are rejected. */
  resourceTypes: string[];
  /** Where the policy bucket's server access logs go (the stack's access-log bucket). */
  accessLogsBucket: s3.IBucket;
  /** The frameworks whose policies run (`-c posture:frameworks`); the others' are disabled at load. */
  frameworks: FrameworkChoice;
}

export class PolicyEngine extends Construct {
  readonly function: lambda.Function;
  readonly layer: lambda.LayerVersion;
  readonly bundle: s3assets.Asset;
  /** Holds the uploaded bundle at ACTIVE_BUNDLE_KEY (versioned: earlier uploads stay restorable). */
  readonly policyBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: PolicyEngineProps) {
    super(scope, id);
    const types = [...props.resourceTypes].sort().join(',');

    this.layer = new lambda.LayerVersion(this, 'Layer', {
      description: 'Posture policy engine and policy bundle (/opt/posture/bundle.zip)',
      compatibleRuntimes: [PYTHON_RUNTIME],
      compatibleArchitectures: [ENGINE_ARCHITECTURE],
      code: lambda.Code.fromAsset(ENGINE_DIR, {
        // The layer is a function of the engine sources, the policies and the known types; hashing
        // those (not the output) keeps the asset stable when nothing changed.
        assetHashType: AssetHashType.CUSTOM,
        assetHash: layerSourceHash(types),
        bundling: {
          image: DockerImage.fromRegistry(BUILD_IMAGE),
          volumes: [{ hostPath: POLICIES_DIR, containerPath: '/policies' }],
          environment: { PYTHONPATH: '/asset-input' },
          command: ['bash', '-c', `python -m posture_engine.build_layer /asset-output --policies /policies --resource-types ${types} ${LAYER_PLATFORM_ARGS.join(' ')}`],
          local: { tryBundle: (outputDir) => buildLayerLocally(outputDir, types) },
        },
      }),
    });

    this.bundle = new s3assets.Asset(this, 'PolicyBundle', {
      path: POLICIES_DIR,
      assetHashType: AssetHashType.CUSTOM,
      assetHash: `bundle-${layerSourceHash(types)}`,
      bundling: {
        image: DockerImage.fromRegistry(BUILD_IMAGE),
        outputType: BundlingOutput.ARCHIVED,
        command: ['bash', '-c', 'echo "the policy bundle is built locally (npm ci creates .venv)" >&2; exit 1'],
        local: { tryBundle: (outputDir) => runEngineTool(['-m', 'posture_engine.bundle_cli', POLICIES_DIR, '--out', join(outputDir, 'policies.zip'), '--resource-types', types, '--no-install'], 'policy bundle') },
      },
    });

    // Policies are code, not findings: S3-managed keys keep the engine's read grant to S3 alone.
    this.policyBucket = privateBucket(this, 'PolicyBucket', { accessLogsBucket: props.accessLogsBucket, logPrefix: 'policy-bucket/', noncurrentDays: 90 });

    const { logGroup, role } = functionBasics(this, 'Engine');
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', REASONS.xray);
    this.function = new lambda.Function(this, 'Function', {
      description: 'Posture policy engine: evaluates resources against the policy bundle',
      runtime: PYTHON_RUNTIME,
      architecture: ENGINE_ARCHITECTURE,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(join(ENGINE_DIR, 'function'), { exclude: IGNORED }),
      layers: [this.layer],
      memorySize: LAMBDA_MEMORY_MB.engine, // one full vCPU
      timeout: Duration.minutes(3),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POSTURE_BUNDLE: BUNDLE_PATH,
        POSTURE_BUNDLE_BUCKET: this.bundle.s3BucketName,
        POSTURE_BUNDLE_KEY: this.bundle.s3ObjectKey,
        POSTURE_ACTIVE_BUNDLE_BUCKET: this.policyBucket.bucketName,
        POSTURE_ACTIVE_BUNDLE_KEY: ACTIVE_BUNDLE_KEY,
        POSTURE_BUNDLE_TTL: String(BUNDLE_TTL_SECONDS),
        POSTURE_DRAFTS_PREFIX: DRAFTS_PREFIX,
        // Every bundle the function loads, built-in or uploaded, runs only the chosen frameworks' policies.
        ...choiceEnv(props.frameworks),
        POWERTOOLS_SERVICE_NAME: 'posture',
      },
    });
    // Exactly the one bundle object (content-addressed key), not the asset bucket's wildcard read grant.
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bundle.bucket.arnForObjects(this.bundle.s3ObjectKey)] }));
    // The uploaded bundle: read that one key, and list only that key (how the engine sees its
    // ETag, and tells "nothing uploaded" from "access denied").
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.policyBucket.arnForObjects(ACTIVE_BUNDLE_KEY)] }));
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.policyBucket.bucketArn], conditions: { StringEquals: { 's3:prefix': ACTIVE_BUNDLE_KEY } } }),
    );
    // Detections (the console's policy editor): the engine stages the merged bundle of a draft it
    // tested under the draft prefix, and evaluates it for the impact preview; nothing else of the bucket.
    const drafts = this.policyBucket.arnForObjects(`${DRAFTS_PREFIX}*`);
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [drafts] }));
    acknowledgeWildcardResource(role, drafts, REASONS.draftBundles);
    this.policyBucket.addLifecycleRule({ id: 'ExpireDraftBundles', prefix: DRAFTS_PREFIX, expiration: Duration.days(7) });
    acknowledge(this.function, 'AwsSolutions-L1', REASONS.pythonRuntime);
  }
}

function layerSourceHash(types: string): string {
  const hash = createHash('sha256');
  hash.update(FileSystem.fingerprint(join(ENGINE_DIR, 'posture_engine'), { exclude: IGNORED }));
  if (existsSync(POLICIES_DIR)) hash.update(FileSystem.fingerprint(POLICIES_DIR, { exclude: IGNORED }));
  hash.update(`${types}\n${LAYER_PLATFORM_ARGS.join(' ')}`);
  return hash.digest('hex');
}

/** Builds the layer with the project's Python. Returns false (→ Docker) only when asked to. */
function buildLayerLocally(outputDir: string, types: string): boolean {
  if (process.env.POSTURE_LAYER_BUNDLING === 'docker') return false;
  return runEngineTool(['-m', 'posture_engine.build_layer', outputDir, '--policies', POLICIES_DIR, '--resource-types', types, ...LAYER_PLATFORM_ARGS], 'policy layer');
}

/** Runs one of the engine's build tools with the project's Python; a failure fails the synth with its output. */
function runEngineTool(args: string[], what: string): boolean {
  const python = pythonExecutable();
  const run = spawnSync(python, args, {
    cwd: ENGINE_DIR,
    // The pack's code may run here (and pip for its requirements.txt): no caller credentials.
    env: engineEnv({ network: true, set: { PYTHONPATH: ENGINE_DIR } }),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.error) {
    throw new Error(`${what}: cannot run ${python}: ${run.error.message} (run npm ci to create .venv, or set POSTURE_PYTHON)`);
  }
  if (run.status !== 0) {
    const detail = (run.stderr || run.stdout).trim();
    throw new Error(`${what}: ${python} ${args.join(' ')} failed (exit ${run.status}):\n${detail}`);
  }
  return true;
}
