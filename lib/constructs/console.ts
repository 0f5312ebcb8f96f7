/**
 * The web console, deployed with the stack (issue #16): the built single-page app in a private
 * bucket behind CloudFront (origin access control, the console's one set of security headers), the
 * console API (the same Hono app as `posture console`) behind an HTTP API with a Cognito JWT
 * authorizer and served through the same distribution at /api/*, and the Cognito user pool
 * (administrator-created users, TOTP MFA required, groups admin / analyst / viewer).
 * The chain: Cognito sign-in → JWT authorizer → role check in the API (src/console/auth.ts) →
 * audit log (ConsoleAudit).
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ArnFormat, Aws, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SECRET_PREFIX, TOPIC_PREFIX } from '#alerts/destination-config.ts';
import { ROLES, type Role } from '#console/auth.ts';
import { contentSecurityPolicy, HSTS, SECURITY_HEADERS } from '#console/security-headers.ts';
import { SPA_CONFIG_FILE, type CognitoSpaConfig } from '#console/spa-config.ts';
import { projectRoot } from '#core/paths.ts';
import { CONSOLE_ENV } from '#lambda-runtime/env.ts';
import { MEMBER_TEMPLATE_KEY } from '#onboarding/onboarding.ts';
import { ACTIVE_BUNDLE_KEY, DRAFTS_PREFIX } from '#publish/active-bundle.ts';
import { RESOURCES_PREFIX } from '#store/bucket-layout.ts';
import { acknowledge, acknowledgeWildcardActions, acknowledgeWildcardResource, nagString, REASONS } from '../nag.ts';
import { privateBucket } from './buckets.ts';
import { grantAssumeAuditRole, grantInvoke, grantObjects, grantTables, policyHolder } from './grants.ts';
import { LOG_RETENTION, type NodeFunctionFactory } from './node-function.ts';
import type { Storage } from './storage.ts';

/** Where `npm run build` puts the built single-page app. */
export const SPA_DIR = join(projectRoot, 'dist', 'console');

/** What each Cognito group is for (its description in the user pool). */
const GROUP_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Posture console: changes policies, accounts and destinations, manages exceptions, reads everything',
  analyst: 'Posture console: manages exceptions and reads everything',
  viewer: 'Posture console: reads everything, changes nothing',
};

/** Serves index.html for every path without a file extension (the SPA's own routes); /api/* has its own behavior. */
const SPA_FALLBACK = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/** One access-log line of the HTTP API (only variables HTTP APIs support; no authorization header, no body). */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  user: '$context.authorizer.claims.sub',
});

export interface ConsoleProps {
  functions: NodeFunctionFactory;
  storage: Storage;
  engine: lambda.IFunction;
  policyBucket: s3.IBucket;
  stateMachine: sfn.StateMachine;
  alertsTopic: sns.ITopic;
  /** Cloud Accounts (the connect wizard): the member-templates bucket, the central bus, the audit role names the stack may assume. */
  onboarding: { templatesBucket: s3.IBucket; eventBus: events.IEventBus; auditRoleNames: readonly string[] };
  /** The built SPA (default dist/console); synth fails with one line if it has no index.html. */
  spaDir?: string;
  /** Serve on this name with this ACM certificate (us-east-1) instead of the *.cloudfront.net name. */
  domain?: { name: string; certificateArn: string };
}

export class Console extends Construct {
  readonly bucket: s3.Bucket;
  readonly cdnLogsBucket: s3.Bucket;
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** The Cognito hosted UI / OAuth endpoints, e.g. https://posture-<id>.auth.<region>.amazoncognito.com */
  readonly cognitoBaseUrl: string;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  readonly distribution: cloudfront.Distribution;
  readonly api: apigwv2.HttpApi;
  readonly apiFunction: NodejsFunction;
  /** https://<distribution domain> */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleProps) {
    super(scope, id);
    const spaDir = props.spaDir ?? SPA_DIR;
    if (!existsSync(join(spaDir, 'index.html'))) {
      const shown = spaDir.startsWith(`${projectRoot}/`) ? relative(projectRoot, spaDir) : spaDir;
      throw new Error(`console: ${shown}/index.html is missing: run npm run build first (or deploy without the console: -c console=false)`);
    }
    const { storage } = props;

    // --- Users: administrator-created only, TOTP MFA required, recovery by email only.
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Threat protection needs the Plus plan (a per-user monthly charge): off, acknowledged below.
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.userPool, 'AwsSolutions-COG8', REASONS.cognitoThreatProtection);
    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group${role[0]!.toUpperCase()}${role.slice(1)}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: GROUP_DESCRIPTIONS[role],
      });
    }
    // Deterministic and unique per stack: the GUID of the stack ID (no account ID in the sign-in URL).
    const stackGuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
    const prefix = `posture-${Fn.select(4, Fn.split('-', stackGuid))}`;
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: prefix } });
    this.cognitoBaseUrl = `https://${prefix}.auth.${Aws.REGION}.amazoncognito.com`;

    // --- The SPA's bucket (private, read by CloudFront through OAC only) and CloudFront's own logs.
    this.bucket = privateBucket(this, 'SpaBucket', { accessLogsBucket: storage.accessLogsBucket, logPrefix: 'console-bucket/', noncurrentDays: 30 });
    // CloudFront standard logs are delivered with an ACL: the one bucket that is not owner-enforced.
    this.cdnLogsBucket = new s3.Bucket(this, 'CdnLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: storage.accessLogsBucket,
      serverAccessLogsPrefix: 'console-cdn-logs-bucket/',
      lifecycleRules: [{ id: 'expire-cdn-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- The console API: the function, the HTTP API with the JWT authorizer, its access logs.
    this.apiFunction = props.functions.create(this, 'ApiFunction', 'console-api', {
      description: 'Posture console API (behind the HTTP API JWT authorizer)',
      memorySize: 1024,
      // API Gateway gives up on an integration after 30 s.
      timeout: Duration.seconds(29),
    });
    this.apiFunction.addEnvironment(CONSOLE_ENV.securityAccountId, Aws.ACCOUNT_ID);
    this.apiFunction.addEnvironment(CONSOLE_ENV.stateMachineArn, props.stateMachine.stateMachineArn);
    this.apiFunction.addEnvironment(CONSOLE_ENV.policyBucket, props.policyBucket.bucketName);
    this.apiFunction.addEnvironment(CONSOLE_ENV.eventBusArn, props.onboarding.eventBus.eventBusArn);
    this.apiFunction.addEnvironment(CONSOLE_ENV.templatesBucket, props.onboarding.templatesBucket.bucketName);
    this.apiFunction.addEnvironment(CONSOLE_ENV.assumableAuditRoleNames, props.onboarding.auditRoleNames.join(','));
    this.grant(props);

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'Posture console API (served through the console distribution at /api/*)',
      createDefaultStage: false,
    });
    this.api.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: apigateway.AccessLogFormat.custom(ACCESS_LOG_FORMAT) },
    });
    // --- CloudFront: the SPA (OAC) and /api/* (the HTTP API), the same headers on both.
    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Posture console security headers (src/console/security-headers.ts)',
      securityHeadersBehavior: securityHeadersBehavior(contentSecurityPolicy({ connectSrc: [this.cognitoBaseUrl], https: true })),
      customHeadersBehavior: { customHeaders: customSecurityHeaders() },
    });
    const spaFallback = new cloudfront.Function(this, 'SpaFallback', {
      comment: 'Posture console: index.html for the single-page app routes',
      code: cloudfront.FunctionCode.fromInline(SPA_FALLBACK),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Posture console',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Applies with a certificate of your own (-c consoleDomainName/consoleCertificateArn).
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      ...(props.domain
        ? { domainNames: [props.domain.name], certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn) }
        : {}),
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.cdnLogsBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        functionAssociations: [{ function: spaFallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(`${this.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Authorization and the query string reach the API; Host stays the API's own. (CloudFront
          // forwards Authorization through an origin request policy only when caching is disabled.)
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.headers,
        },
      },
    });
    acknowledge(this.distribution, 'AwsSolutions-CFR1', REASONS.cdnNoGeoRestriction);
    acknowledge(this.distribution, 'AwsSolutions-CFR2', REASONS.cdnNoWaf);
    if (!props.domain) acknowledge(this.distribution, 'AwsSolutions-CFR4', REASONS.cdnDefaultCertificate);
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;

    // --- The SPA's app client (its callback is the distribution) and the JWT authorizer that trusts its tokens.
    this.client = this.userPool.addClient('AppClient', {
      generateSecret: false,
      // The SPA signs in through the hosted UI only (authorization code + PKCE): no password flows.
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${this.url}/`],
        logoutUrls: [`${this.url}/`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(8),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });

    const authorizer = new HttpJwtAuthorizer('Cognito', `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`, {
      jwtAudience: [this.client.userPoolClientId],
    });
    this.api.addRoutes({
      path: '/api/{proxy+}',
      methods: [apigwv2.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('ConsoleApi', this.apiFunction),
      authorizer,
    });


    // --- The SPA and its runtime configuration (the SPA reads /config.json).
    const deployment = new s3deploy.BucketDeployment(this, 'Spa', {
      sources: [
        s3deploy.Source.asset(spaDir),
        s3deploy.Source.jsonData(SPA_CONFIG_FILE, {
          mode: 'cognito',
          region: Aws.REGION,
          userPoolId: this.userPool.userPoolId,
          clientId: this.client.userPoolClientId,
          cognitoDomain: this.cognitoBaseUrl,
        } satisfies CognitoSpaConfig),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    // The CDK's singleton handler (Custom::CDKBucketDeployment<uuid>, at the stack's root) and its role.
    const handler = deployment.handlerRole.node.scope!;
    for (const id of [
      'AwsSolutions-L1',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]`,
      `AwsSolutions-IAM5[Resource::${nagString(this, this.bucket.bucketArn)}/*]`,
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((a) => `AwsSolutions-IAM5[Action::${a}]`),
    ]) {
      acknowledge(handler, id, REASONS.bucketDeployment);
    }
  }

  /** Least privilege of the console API: each grant names the console page that needs it. */
  private grant(props: ConsoleProps): void {
    const fn = this.apiFunction;
    const { tables, scanBucket } = props.storage;
    const holder = policyHolder(fn);
    // Overview, Findings, Cloud Resources, Scans: resources, the scan ledger, the daily summary.
    grantTables(fn, tables, ['Resources', 'ScanLedger', 'DailySummary'], 'read');
    // Findings: an exception added or removed resolves or reopens alerts in the same transaction as
    // the compliance it changes (ComplianceStore), and the panel reads a finding's alert history.
    grantTables(fn, tables, ['Alerts'], 'readWrite');
    // Cloud Resources: resources too large for an item are offloaded to the scan bucket (ResourceStore).
    grantObjects(fn, scanBucket, { read: true, prefix: RESOURCES_PREFIX });
    // Findings (exceptions applied to results, their transitions recorded in the resource's history;
    // Cloud Resources reads that history), Cloud Accounts (the wizard), Destinations, and the audit log of every change.
    grantTables(fn, tables, ['Compliance', 'ResourceHistory', 'Exceptions', 'Accounts', 'Destinations', 'ConsoleAudit'], 'readWrite');
    // Detections: Run tests / Test against live resources evaluate drafts in the real engine.
    grantInvoke(fn, props.engine);
    // Detections: Save publishes the active bundle (the engine reads exactly this key).
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [props.policyBucket.arnForObjects(ACTIVE_BUNDLE_KEY)] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.policyBucket.bucketArn], conditions: { StringEquals: { 's3:prefix': ACTIVE_BUNDLE_KEY } } }),
    );
    // Detections: Save publishes exactly the merged bundle the engine staged for the preview.
    const drafts = props.policyBucket.arnForObjects(`${DRAFTS_PREFIX}*`);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [drafts] }));
    acknowledgeWildcardResource(holder, drafts, REASONS.draftBundles);
    // Cloud Accounts: finishing the wizard starts the baseline scan and shows its progress.
    props.stateMachine.grantStartExecution(fn);
    const executions = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }));
    acknowledgeWildcardResource(holder, executions, REASONS.scanExecutions);
    // Cloud Accounts: the wizard's role set-up publishes the member template for its quick-create
    // link (this one key, which the member accounts read through the bucket's policy)...
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [props.onboarding.templatesBucket.arnForObjects(MEMBER_TEMPLATE_KEY)] }));
    // ... and its verification assumes the member's audit role with the ExternalId: the role names
    // the scanners assume, nothing wider.
    grantAssumeAuditRole(fn, props.onboarding.auditRoleNames);
    // Destinations: add / rotate / remove keeps each destination's secret (by name prefix only).
    const secrets = Stack.of(this).formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${SECRET_PREFIX}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret', 'secretsmanager:RestoreSecret'],
        resources: [secrets],
      }),
    );
    acknowledgeWildcardResource(holder, secrets, REASONS.destinationSecrets);
    // Destinations: "Send test" publishes to the alerts topic or a posture-* topic.
    props.alertsTopic.grantPublish(fn);
    acknowledgeWildcardActions(holder, ['kms:GenerateDataKey*'], REASONS.topicKey);
    const topics = Stack.of(this).formatArn({ service: 'sns', resource: `${TOPIC_PREFIX}*` });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topics] }));
    acknowledgeWildcardResource(holder, topics, REASONS.destinationTopics);
  }
}

/** SECURITY_HEADERS + the CSP and HSTS, as CloudFront's security-headers behavior takes them. */
export function securityHeadersBehavior(csp: string): cloudfront.ResponseSecurityHeadersBehavior {
  const frame = SECURITY_HEADERS['X-Frame-Options'];
  return {
    contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
    strictTransportSecurity: {
      accessControlMaxAge: Duration.seconds(HSTS.maxAgeSeconds),
      includeSubdomains: HSTS.includeSubdomains,
      preload: HSTS.preload,
      override: true,
    },
    contentTypeOptions: { override: true }, // X-Content-Type-Options: nosniff (CloudFront's only value)
    frameOptions: { frameOption: frame === 'DENY' ? cloudfront.HeadersFrameOption.DENY : cloudfront.HeadersFrameOption.SAMEORIGIN, override: true },
    referrerPolicy: { referrerPolicy: SECURITY_HEADERS['Referrer-Policy'] as cloudfront.HeadersReferrerPolicy, override: true },
  };
}

/** The headers CloudFront's security-headers behavior does not cover, sent as custom headers. */
export const CUSTOM_HEADER_NAMES = ['Permissions-Policy', 'Cross-Origin-Opener-Policy', 'Cross-Origin-Resource-Policy'] as const satisfies readonly (keyof typeof SECURITY_HEADERS)[];

function customSecurityHeaders(): cloudfront.ResponseCustomHeader[] {
  return CUSTOM_HEADER_NAMES.map((header) => ({ header, value: SECURITY_HEADERS[header], override: true }));
}
