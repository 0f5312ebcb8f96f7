import { describe, expect, it } from 'vitest';
import {
  eventMap,
  eventNames,
  eventRules,
  eventSources,
  typeEvents,
  getResourceType,
  iamActions,
  memberEventPattern,
  REGISTRY,
  resourceTypeNames,
  type AnyResourceType,
} from '../../../src/resources/index.ts';
import type { EventAction } from '../../../src/resources/types.ts';

const ACTIONS: EventAction[] = ['rescan', 'delete', 'rescan-region', 'rescan-account'];

describe('resource registry', () => {
  it('has unique type names and looks them up', () => {
    const names = REGISTRY.map((t) => t.type);
    expect(new Set(names).size).toBe(names.length);
    expect(resourceTypeNames()).toEqual([...names].sort());
    expect(resourceTypeNames()).toEqual(expect.arrayContaining(['AWS.EC2.SecurityGroup', 'AWS.IAM.User', 'AWS.PasswordPolicy', 'AWS.S3.Bucket']));
    for (const name of names) expect(getResourceType(name).type).toBe(name);
  });

  it('throws a one-line error naming an unknown type', () => {
    expect(() => getResourceType('AWS.Nope')).toThrow(/^unknown resource type "AWS\.Nope" \(known: [^\n]+\)$/);
  });

  it('declares every type completely', () => {
    for (const t of REGISTRY) {
      expect(t.type).toMatch(/^AWS\.[A-Za-z0-9.]+$/);
      expect(['regional', 'global']).toContain(t.scope);
      expect(t.eventSource).toBe(`${t.service}.amazonaws.com`);
      expect(t.attributes.length).toBeGreaterThan(0);
      for (const a of t.attributes) {
        expect(a.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
        expect(a.description.length).toBeGreaterThan(5);
      }
      expect(new Set(t.attributes.map((a) => a.name)).size).toBe(t.attributes.length);
    }
  });

  it('names a known action in every event rule, with refs for rescan/delete', () => {
    for (const t of REGISTRY) {
      expect(Object.keys(t.events).length).toBeGreaterThan(0);
      for (const [name, rule] of Object.entries(t.events)) {
        expect(name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
        expect(ACTIONS).toContain(rule.action);
        if (rule.action === 'rescan' || rule.action === 'delete') expect(typeof rule.refs, `${t.type} ${name}`).toBe('function');
      }
    }
  });

  it('derives sorted, unique IAM actions', () => {
    const actions = iamActions();
    expect(actions).toEqual([...new Set(actions)].sort());
    for (const a of actions) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z0-9*]+$/);
    // A union of the types' declarations, nothing more.
    const fake = { ...REGISTRY[0]!, iamActions: ['s3:GetB', 's3:GetA', 's3:GetB'] } as AnyResourceType;
    expect(iamActions([fake, { ...fake, iamActions: ['ec2:X', 's3:GetA'] }])).toEqual(['ec2:X', 's3:GetA', 's3:GetB']);
  });

  it('maps eventSource → eventName → (type, rule), shared sources included', () => {
    const map = eventMap();
    expect([...map.keys()].sort()).toEqual(eventSources());
    expect(eventSources()).toEqual(expect.arrayContaining(['ec2.amazonaws.com', 'iam.amazonaws.com', 's3.amazonaws.com']));
    // The types' own sources, and the sources of their related events (e.g. WAFv2 for ALBs).
    const related = REGISTRY.flatMap((t) => Object.keys(t.relatedEvents ?? {}));
    expect(related).toEqual(expect.arrayContaining(['wafv2.amazonaws.com', 'application-autoscaling.amazonaws.com']));
    expect(eventSources()).toEqual([...new Set([...REGISTRY.map((t) => t.eventSource), ...related])].sort());
    let bindings = 0;
    for (const t of REGISTRY) {
      for (const { source, name, rule } of typeEvents(t)) {
        expect(eventRules(source, name)).toContainEqual({ type: t, rule });
        bindings++;
      }
    }
    expect(eventRules('wafv2.amazonaws.com', 'AssociateWebACL').map((b) => b.type.type).sort()).toEqual(['AWS.ApiGateway.RestApi', 'AWS.ELBV2.ApplicationLoadBalancer', 'AWS.WAFv2.WebACL']);
    expect(eventRules('application-autoscaling.amazonaws.com', 'RegisterScalableTarget').map((b) => b.type.type)).toEqual(['AWS.DynamoDB.Table']);
    expect([...map.values()].reduce((n, byName) => n + [...byName.values()].reduce((m, b) => m + b.length, 0), 0)).toBe(bindings);
    expect(eventRules('iam.amazonaws.com', 'UpdateAccountPasswordPolicy').map((b) => b.type.type)).toEqual(['AWS.PasswordPolicy']);
    expect(eventRules('iam.amazonaws.com', 'CreateUser').map((b) => b.type.type)).toEqual(['AWS.IAM.User']);
    expect(eventRules('s3.amazonaws.com', 'GetObject')).toEqual([]);
    expect(eventRules('nope.amazonaws.com', 'CreateUser')).toEqual([]);
  });

  it('derives the member EventBridge pattern from the same declarations', () => {
    const pattern = memberEventPattern() as { source: string[]; 'detail-type': string[]; detail: Record<string, unknown> };
    expect(pattern.source).toEqual(eventSources().map((src) => `aws.${src.replace(/\.amazonaws\.com$/, '')}`).sort());
    expect(pattern.source).toEqual(expect.arrayContaining(['aws.ec2', 'aws.iam', 'aws.s3']));
    expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    expect(pattern.detail.eventSource).toEqual(eventSources());
    expect(pattern.detail.eventName).toEqual(eventNames());
    expect(pattern.detail.errorCode).toEqual([{ exists: false }]);
    expect(eventNames()).toContain('PutBucketPolicy');
    expect(new Set(eventNames()).size).toBe(eventNames().length);
  });
});
