/**
 * The one factory for Posture's Node.js Lambda functions, and the helpers every function
 * (Node or Python) shares: an explicit log group, a dedicated execution role without AWS managed
 * policies, and the Lambda environment contract of lambdas/runtime/env.ts.
 */
import { join } from 'node:path';
import { RemovalPolicy, type Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '#lambda-runtime/env.ts';
import { projectRoot } from '#core/paths.ts';
import { tableEnvVar, type TableId } from '#store/tables.ts';
import { TIME_BUDGET_SHARE } from '#aws/sizing.ts';
import { acknowledge, REASONS } from '../nag.ts';

/** The entry files under lambdas/ (each exports `handler`). */
export type NodeLambdaName = 'plan-scan' | 'scan-scope' | 'record-batch-failure' | 'summarize-scan' | 'realtime-rescan' | 'dispatch-alerts' | 'console-api' | 'cloudtrail-logs';

export const NODE_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

/** Everything a handler's `readLambdaEnv()` needs (lambdas/runtime/env.ts). */
export interface LambdaContract {
  tables: Record<TableId, ITable>;
  scanBucket: IBucket;
  engineFunction: lambda.IFunction;
  alertsTopic: ITopic;
  realtimeDelayQueue: IQueue;
  realtimeDeadLetterQueue: IQueue;
  alertDeliveryDeadLetterQueue: IQueue;
  auditRoleName: string;
  /** Retention of the resource history, in days (HISTORY_RETENTION_DAYS). */
  historyDays: number;
}

/**
 * The contract as environment variables, named by lambdas/runtime/env.ts and src/store/tables.ts only.
 * The mapping is typed over every key of ENV, so a new variable there fails type-checking here.
 */
export function contractEnvironment(contract: LambdaContract): Record<string, string> {
  const values: Record<keyof typeof ENV, string | undefined> = {
    scanBucket: contract.scanBucket.bucketName,
    engineFunction: contract.engineFunction.functionName,
    alertsTopic: contract.alertsTopic.topicArn,
    auditRoleName: contract.auditRoleName,
    historyDays: String(contract.historyDays),
    realtimeDelayQueue: contract.realtimeDelayQueue.queueUrl,
    realtimeDeadLetterQueue: contract.realtimeDeadLetterQueue.queueUrl,
    alertDeliveryDeadLetterQueue: contract.alertDeliveryDeadLetterQueue.queueUrl,
    scanTimeBudgetMs: undefined, // per function, from its timeout (NodeFunctionFactory.create)
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(values) as [keyof typeof ENV, string | undefined][]) {
    if (value !== undefined) env[ENV[key]] = value;
  }
  for (const [id, table] of Object.entries(contract.tables) as [TableId, ITable][]) {
    env[tableEnvVar(id)] = table.tableName;
  }
  return env;
}

/** An explicit log group with a retention, and a role that may write only to it. */
export function functionBasics(scope: Construct, id: string): { logGroup: logs.LogGroup; role: iam.Role } {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: LOG_RETENTION,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of the Posture ${id} function`,
  });
  logGroup.grantWrite(role);
  return { logGroup, role };
}

export interface NodeFunctionOptions {
  description: string;
  memorySize: number;
  timeout: Duration;
  /** Why else the role needs `Resource: "*"` (besides X-Ray), for the cdk-nag acknowledgement. */
  alsoNeedsAnyResource?: string;
}

/**
 * Creates every Node function the same way. The contract environment is applied to all of them
 * at once with `applyContract()`, after the resources it names exist (the alert dispatcher needs
 * the delay queue's URL and the real-time rescanner the topic's ARN, so no construction order
 * could provide it at creation time); synth fails if it was never applied.
 */
export class NodeFunctionFactory {
  private readonly functions: NodejsFunction[] = [];
  private contract?: Record<string, string>;

  create(scope: Construct, id: string, name: NodeLambdaName, options: NodeFunctionOptions): NodejsFunction {
    const { logGroup, role } = functionBasics(scope, id);
    const fn = new NodejsFunction(scope, id, {
      entry: join(projectRoot, 'lambdas', `${name}.ts`),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      description: options.description,
      memorySize: options.memorySize,
      timeout: options.timeout,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'posture',
        POWERTOOLS_METRICS_NAMESPACE: 'Posture',
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.scanTimeBudgetMs]: String(Math.floor(options.timeout.toMilliseconds() * TIME_BUDGET_SHARE)),
      },
      bundling: {
        // Local esbuild (a devDependency); Docker is never needed.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        // ESM output: CommonJS dependencies bundled in still call require().
        banner: "import { createRequire as __posture_createRequire } from 'node:module'; const require = __posture_createRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too: pinned versions, no dependency on the runtime's copy.
        externalModules: [],
        tsconfig: join(projectRoot, 'tsconfig.json'),
        logLevel: LogLevel.WARNING,
      },
    });
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', [REASONS.xray, options.alsoNeedsAnyResource].filter(Boolean).join(' '));
    acknowledge(fn, 'AwsSolutions-L1', REASONS.nodeRuntime);
    fn.node.addValidation({
      validate: () => (this.contract ? [] : [`${fn.node.path}: the Lambda environment contract was never applied (NodeFunctionFactory.applyContract)`]),
    });
    this.functions.push(fn);
    if (this.contract) this.applyTo(fn);
    return fn;
  }

  /** Sets the env contract on every function created by this factory, before or after this call. */
  applyContract(contract: LambdaContract): void {
    this.contract = contractEnvironment(contract);
    for (const fn of this.functions) this.applyTo(fn);
  }

  private applyTo(fn: NodejsFunction): void {
    for (const [key, value] of Object.entries(this.contract ?? {})) fn.addEnvironment(key, value);
  }
}

