/**
 * The deployed console (lib/constructs/console.ts) in the synthesized template, bundling skipped:
 * the private SPA bucket behind CloudFront with OAC, the one set of security headers, the Cognito
 * pool's sign-in rules, the JWT authorizer on every API route, the /api/* behavior, and the API
 * function's least privilege.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, type App, type CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '#console/auth.ts';
import { contentSecurityPolicy, HSTS, SECURITY_HEADERS } from '#console/security-headers.ts';
import { cognitoSpaConfigSchema, SPA_CONFIG_FILE } from '#console/spa-config.ts';
import { CONSOLE_ENV } from '#lambda-runtime/env.ts';
import { MEMBER_TEMPLATE_KEY } from '#onboarding/onboarding.ts';
import { tableEnvVar, TABLES, type TableId } from '#store/tables.ts';
import { buildApp } from '../../lib/app.ts';
import { assumableAuditRoleNames } from '../../lib/config.ts';
import { Console, CUSTOM_HEADER_NAMES } from '../../lib/constructs/console.ts';
import { OUTPUTS } from '../../lib/outputs.ts';
import type { PostureStack } from '../../lib/posture-stack.ts';
import { asArray, SKIP_BUNDLING, TEST_CONTEXT } from './helpers.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let stack: PostureStack;
let template: Template;
let resources: Record<string, { Type: string; Properties: Json; DeletionPolicy?: string }>;
let console_: Console;

beforeAll(() => {
  ({ stack } = buildApp({ nag: false, context: { ...SKIP_BUNDLING, ...TEST_CONTEXT } }));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  console_ = stack.console!;
});

const logicalId = (c: { node: { defaultChild?: unknown } }): string => Stack.of(stack).getLogicalId(c.node.defaultChild as CfnResource);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const one = (type: string): [string, Json] => {
  const all = ofType(type);
  expect(all.length, type).toBe(1);
  return [all[0]![0], all[0]![1].Properties];
};
/** CloudFront's managed policies, by their fixed IDs. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

describe('the SPA bucket and the distribution', () => {
  it('reads the private bucket through origin access control only', () => {
    const [oacId, oac] = one('AWS::CloudFront::OriginAccessControl');
    expect(oac.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const [, dist] = one('AWS::CloudFront::Distribution');
    const s3Origin = dist.DistributionConfig.Origins.find((o: Json) => o.S3OriginConfig);
    expect(s3Origin.DomainName).toEqual({ 'Fn::GetAtt': [logicalId(console_.bucket), 'RegionalDomainName'] });
    expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');

    const bucket = resources[logicalId(console_.bucket)]!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId(stack.storage.accessLogsBucket) });
    expect(bucket.DeletionPolicy).toBe('Retain');

    // The bucket policy: TLS only, and reads for CloudFront on behalf of this distribution only.
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, r]) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: logicalId(console_.bucket) }))!;
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      }),
    ]);
    expect(JSON.stringify(allows[0]!.Condition)).toContain(logicalId(console_.distribution));
    expect(statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
  });

  it('serves HTTPS only with TLS 1.2+, index.html as root and for SPA routes, and logs every request', () => {
    const [, dist] = one('AWS::CloudFront::Distribution');
    const config = dist.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.CacheBehaviors[0].ViewerProtocolPolicy).toBe('https-only');
    expect(config.Logging.Bucket).toEqual({ 'Fn::GetAtt': [logicalId(console_.cdnLogsBucket), 'RegionalDomainName'] });
    // No distribution-wide error pages: an API 401/403/404 reaches the SPA as the API sent it.
    expect(config.CustomErrorResponses).toBeUndefined();
    // The SPA fallback is a viewer-request function on the default behavior only.
    const [fnId, fn] = one('AWS::CloudFront::Function');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }]);
    expect(config.CacheBehaviors[0].FunctionAssociations).toBeUndefined();
    // The function itself: an extension-less path is an SPA route; a file is served as is.
    const handler = new Function(`${fn.FunctionCode as string}; return handler;`)() as (e: unknown) => { uri: string };
    expect(handler({ request: { uri: '/findings/abc' } }).uri).toBe('/index.html');
    expect(handler({ request: { uri: '/' } }).uri).toBe('/index.html');
    expect(handler({ request: { uri: '/assets/index-1a2b.js' } }).uri).toBe('/assets/index-1a2b.js');
    expect(handler({ request: { uri: '/config.json' } }).uri).toBe('/config.json');
    // The origin to the HTTP API speaks TLS 1.2 only.
    const apiOrigin = config.Origins.find((o: Json) => o.CustomOriginConfig);
    expect(apiOrigin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
  });

  it('routes /api/* to the HTTP API: uncached, every viewer header but Host forwarded, all methods', () => {
    const [, dist] = one('AWS::CloudFront::Distribution');
    const config = dist.DistributionConfig;
    expect(config.CacheBehaviors).toHaveLength(1);
    const api = config.CacheBehaviors[0];
    expect(api).toMatchObject({
      PathPattern: '/api/*',
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
    });
    const origin = config.Origins.find((o: Json) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(origin.DomainName)).toContain(logicalId(console_.api));
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.');
  });

  it('sends exactly the console headers of security-headers.ts on the SPA and the API', () => {
    const [policyId, policy] = one('AWS::CloudFront::ResponseHeadersPolicy');
    const config = policy.ResponseHeadersPolicyConfig;
    const security = config.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: stack.resolve(contentSecurityPolicy({ connectSrc: [console_.cognitoBaseUrl], https: true })),
      Override: true,
    });
    // The Cognito domain is the only other origin the SPA may call.
    expect(JSON.stringify(security.ContentSecurityPolicy)).toContain('.amazoncognito.com');
    expect(security.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: HSTS.maxAgeSeconds,
      IncludeSubdomains: HSTS.includeSubdomains,
      Preload: HSTS.preload,
      Override: true,
    });
    const sent: Record<string, string> = {
      'X-Content-Type-Options': security.ContentTypeOptions.Override ? 'nosniff' : '',
      'X-Frame-Options': security.FrameOptions.FrameOption,
      'Referrer-Policy': security.ReferrerPolicy.ReferrerPolicy,
      ...Object.fromEntries((config.CustomHeadersConfig.Items as Json[]).map((h) => [h.Header, h.Value])),
    };
    expect(sent).toEqual(SECURITY_HEADERS);
    expect(CUSTOM_HEADER_NAMES.length + 3).toBe(Object.keys(SECURITY_HEADERS).length);
    const [, dist] = one('AWS::CloudFront::Distribution');
    for (const behavior of [dist.DistributionConfig.DefaultCacheBehavior, ...dist.DistributionConfig.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    }
  });
});

describe('Cognito', () => {
  it('admits administrator-created users only, requires TOTP MFA and a strong password, recovers by email, is retained', () => {
    const [id, pool] = one('AWS::Cognito::UserPool');
    expect(pool.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Policies.PasswordPolicy).toMatchObject({ MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true });
    expect(pool.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
    expect(pool.DeletionProtection).toBe('ACTIVE');
    expect(resources[id]!.DeletionPolicy).toBe('Retain');
  });

  it('has the three role groups of auth.ts', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, r]) => r.Properties.GroupName as string);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has one public app client: authorization code only, callback and logout on the distribution, short-lived tokens', () => {
    const [, client] = one('AWS::Cognito::UserPoolClient');
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    const url = stack.resolve(`${console_.url}/`);
    expect(client.CallbackURLs).toEqual([url]);
    expect(client.LogoutURLs).toEqual([url]);
    expect(JSON.stringify(url)).toContain(logicalId(console_.distribution));
    expect(client.AccessTokenValidity).toBe(15);
    expect(client.IdTokenValidity).toBe(15);
    expect(client.TokenValidityUnits).toMatchObject({ AccessToken: 'minutes', IdToken: 'minutes' });
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('has a Cognito domain whose prefix is derived from the stack (deterministic, no account ID)', () => {
    const [, domain] = one('AWS::Cognito::UserPoolDomain');
    expect(JSON.stringify(domain.Domain)).toContain('AWS::StackId');
    expect(JSON.stringify(domain.Domain)).not.toContain('AWS::AccountId');
    expect(JSON.stringify(domain.Domain)).toContain('posture-');
  });
});

describe('the HTTP API', () => {
  it('has the JWT authorizer (issuer = the user pool, audience = the app client) on every route', () => {
    const [authorizerId, authorizer] = one('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.AuthorizerType).toBe('JWT');
    expect(authorizer.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(JSON.stringify(authorizer.JwtConfiguration.Issuer)).toContain(logicalId(console_.userPool));
    expect(authorizer.JwtConfiguration.Audience).toEqual([{ Ref: logicalId(console_.client) }]);
    const routes = ofType('AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => r.Properties.RouteKey)).toEqual(['ANY /api/{proxy+}']);
    for (const [, route] of routes) {
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(route.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
    }
  });

  it('throttles and writes access logs on its stage', () => {
    const [, stage] = one('AWS::ApiGatewayV2::Stage');
    expect(stage.StageName).toBe('$default');
    expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    expect(stage.AccessLogSettings.DestinationArn).toEqual(expect.objectContaining({ 'Fn::GetAtt': [expect.any(String), 'Arn'] }));
    expect(JSON.parse(stage.AccessLogSettings.Format as string)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });
});

describe('the console API function', () => {
  const statements = (): Json[] => {
    const role = logicalId(stack.console!.apiFunction.role as unknown as { node: { defaultChild?: unknown } });
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as Json[]).some((x) => x.Ref === role))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[]);
  };

  it('has the contract and the console environment', () => {
    const env = resources[logicalId(console_.apiFunction)]!.Properties.Environment.Variables as Json;
    for (const name of Object.values(CONSOLE_ENV)) expect(env[name], name).toBeDefined();
    for (const id of Object.keys(TABLES) as TableId[]) expect(env[tableEnvVar(id)], id).toEqual({ Ref: logicalId(stack.storage.tables[id]) });
  });

  it('grants no wildcard action, and writes only the tables its pages change', () => {
    const all = statements();
    expect(all.length).toBeGreaterThan(5);
    for (const s of all) for (const a of asArray(s.Action) as string[]) expect(a, JSON.stringify(s)).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
    // ResourceHistory: a transition an exception causes is recorded with it (ComplianceStore).
    const writable: TableId[] = ['Compliance', 'ResourceHistory', 'Alerts', 'Exceptions', 'Accounts', 'Destinations', 'ConsoleAudit'];
    const tableOf = (r: unknown) => (Object.keys(TABLES) as TableId[]).find((id) => JSON.stringify(r).includes(logicalId(stack.storage.tables[id])));
    const written = all
      .filter((s) => (asArray(s.Action) as string[]).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)))
      .flatMap((s) => asArray(s.Resource).map(tableOf));
    expect(new Set(written)).toEqual(new Set(writable));
  });

  it('may start the DailyScan state machine, invoke the engine, read staged drafts and write only the active bundle key', () => {
    const all = statements();
    const find = (action: string) => all.filter((s) => asArray(s.Action).includes(action));
    expect(find('states:StartExecution')).toEqual([expect.objectContaining({ Resource: { Ref: logicalId(stack.scan.stateMachine) } })]);
    expect(JSON.stringify(find('lambda:InvokeFunction'))).toContain(logicalId(stack.engine.function));
    const puts = find('s3:PutObject');
    expect(puts).toHaveLength(2);
    expect(JSON.stringify(puts[0]!.Resource)).toContain('/policies/active.zip');
    // Detections' Save reads the bundle the engine staged for the preview (the draft prefix), nothing else of the policy bucket.
    const policyObjects = find('s3:GetObject').filter((s) => JSON.stringify(s.Resource).includes(logicalId(stack.engine.policyBucket)));
    const read = policyObjects.map((s) => JSON.stringify(s.Resource));
    expect(read).toHaveLength(2);
    expect(read.filter((r) => r.includes('/policies/active.zip'))).toHaveLength(1);
    expect(read.filter((r) => r.includes('/policies/drafts/*'))).toHaveLength(1);
    expect(JSON.stringify(find('secretsmanager:CreateSecret'))).toContain('secret:posture/destinations/*');
  });

  it('Cloud Accounts: publishes only the member template key and assumes only the audit role names the scanners assume', () => {
    const all = statements();
    const find = (action: string) => all.filter((s) => asArray(s.Action).includes(action));
    const template = find('s3:PutObject').filter((s) => JSON.stringify(s.Resource).includes(logicalId(stack.templates.bucket)));
    expect(template).toHaveLength(1);
    expect(JSON.stringify(template[0]!.Resource)).toContain(`/${MEMBER_TEMPLATE_KEY}"`);
    const assume = find('sts:AssumeRole');
    expect(assume).toHaveLength(1);
    const roleArns = (asArray(assume[0]!.Resource) as Json[]).map((r) => JSON.stringify(r));
    const names = assumableAuditRoleNames({ auditRoleName: TEST_CONTEXT.auditRoleName, additionalAuditRoleNames: [] });
    expect(roleArns).toHaveLength(names.length);
    for (const [i, name] of names.entries()) expect(roleArns[i]).toContain(`:iam::*:role/${name}"`);
    // The same grant as the scanners': ScanScope's role assumes exactly these ARNs.
    const scanRole = logicalId(stack.scan.scanScope.role as unknown as { node: { defaultChild?: unknown } });
    const scanAssume = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as Json[]).some((x) => x.Ref === scanRole))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => asArray(s.Action).includes('sts:AssumeRole'));
    expect(scanAssume.map((s) => s.Resource)).toEqual([assume[0]!.Resource]);
    const env = resources[logicalId(console_.apiFunction)]!.Properties.Environment.Variables as Json;
    expect(env[CONSOLE_ENV.assumableAuditRoleNames]).toBe(names.join(','));
    expect(env[CONSOLE_ENV.templatesBucket]).toEqual({ Ref: logicalId(stack.templates.bucket) });
  });
});

describe('deployment', () => {
  it('outputs the console URL, the user pool ID and the distribution name', () => {
    const outputs = template.toJSON().Outputs as Json;
    expect(outputs[OUTPUTS.consoleUrl].Value).toEqual(stack.resolve(console_.url));
    expect(outputs[OUTPUTS.consoleUserPoolId].Value).toEqual({ Ref: logicalId(console_.userPool) });
    expect(outputs[OUTPUTS.consoleDistributionDomainName].Value).toEqual({ 'Fn::GetAtt': [logicalId(console_.distribution), 'DomainName'] });
  });

  it('copies the built SPA and config.json into the bucket and invalidates the distribution', () => {
    const [, deployment] = one('Custom::CDKBucketDeployment');
    expect(deployment.DestinationBucketName).toEqual({ Ref: logicalId(console_.bucket) });
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    expect(deployment.DistributionId).toEqual({ Ref: logicalId(console_.distribution) });
    // config.json (the second source) as staged: its values are deploy-time markers of the pool, the client, the region and the Cognito domain.
    const key = (deployment.SourceObjectKeys as string[])[1]!.replace(/\.zip$/, '');
    const staged = JSON.parse(readFileSync(join((stack.node.root as App).outdir, `asset.${key}`, SPA_CONFIG_FILE), 'utf8')) as Record<string, string>;
    expect(Object.keys(staged).sort()).toEqual(Object.keys(cognitoSpaConfigSchema.shape).sort());
    expect(staged.mode).toBe('cognito');
    const markers = (deployment.SourceMarkers as Json[])[1]!;
    expect(markers[staged.userPoolId!]).toEqual({ Ref: logicalId(console_.userPool) });
    expect(markers[staged.clientId!]).toEqual({ Ref: logicalId(console_.client) });
    expect(markers[staged.region!]).toEqual({ Ref: 'AWS::Region' });
    const domain = /^https:\/\/posture-(<<marker:[^>]+>>)\.auth\.(<<marker:[^>]+>>)\.amazoncognito\.com$/.exec(staged.cognitoDomain!)!;
    expect(domain).not.toBeNull();
    expect(JSON.stringify(markers[domain[1]!])).toContain('AWS::StackId');
    expect(markers[domain[2]!]).toEqual({ Ref: 'AWS::Region' });
  });

  it('serves on its own domain with TLS 1.2+ when given a domain name and certificate', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789abc';
    const { app, stack: own } = buildApp({ nag: false, context: { ...SKIP_BUNDLING, ...TEST_CONTEXT, consoleDomainName: 'posture.example.com', consoleCertificateArn: certificateArn } });
    const t = Template.fromStack(own);
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['posture.example.com'],
        ViewerCertificate: { AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      }),
    });
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['https://posture.example.com/'], LogoutURLs: ['https://posture.example.com/'] });
    expect(t.toJSON().Outputs[OUTPUTS.consoleUrl].Value).toBe('https://posture.example.com');
    // Nothing left to acknowledge about the viewer certificate.
    const blind = new AwsSolutionsChecks();
    Object.assign(blind, { isAcknowledged: () => false });
    expect(blind.validateScope(app).violations.filter((v) => v.ruleName === 'AwsSolutions-CFR4')).toEqual([]);
  });

  it('is left out with -c console=false', () => {
    const { stack: bare } = buildApp({ nag: false, context: { ...SKIP_BUNDLING, ...TEST_CONTEXT, console: 'false' } });
    const t = Template.fromStack(bare);
    expect(bare.console).toBeUndefined();
    for (const type of ['AWS::Cognito::UserPool', 'AWS::CloudFront::Distribution', 'AWS::ApiGatewayV2::Api']) t.resourceCountIs(type, 0);
    expect(Object.keys(t.toJSON().Outputs)).not.toContain(OUTPUTS.consoleUrl);
  });

  it('fails synth with one line when the SPA was not built', () => {
    const { stack: other } = buildApp({ nag: false, context: { ...SKIP_BUNDLING, ...TEST_CONTEXT, console: 'false' } });
    const props = {
      functions: { create: () => undefined } as never,
      storage: other.storage,
      engine: other.engine.function,
      policyBucket: other.engine.policyBucket,
      stateMachine: other.scan.stateMachine,
      alertsTopic: other.alerts.topic,
      onboarding: { templatesBucket: other.templates.bucket, eventBus: other.realtime.bus, auditRoleNames: ['PostureAuditRole'] },
    };
    expect(() => new Console(other, 'Console', { ...props, spaDir: '/nonexistent/dist/console' })).toThrow(
      /^console: \/nonexistent\/dist\/console\/index\.html is missing: run npm run build first/,
    );
  });
});
