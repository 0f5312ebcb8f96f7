/**
 * Scan contexts whose SDK clients answer some commands themselves: paging that moto does not do,
 * APIs moto lacks (answered as the AWS API reference documents them), injected errors.
 */
import type { ClientCtor } from '../../src/aws/clients.ts';
import type { CloudTrailDetail, ScanContext } from '../../src/resources/types.ts';

type Send = (cmd: object) => Promise<unknown>;

/** `answer(cmd, send)` returns the reply for commands it takes over, undefined for the others
 *  (which go to moto). `send` reaches the real client. */
export type Answer = (cmd: { constructor: { name: string }; input: Record<string, unknown> }, send: Send) => Promise<unknown> | undefined;

/** A fresh-cache copy of `base` whose `ctor` clients consult `answer` first. */
export function intercept<T>(base: ScanContext, ctor: ClientCtor<T>, answer: Answer): ScanContext {
  const get = <C>(c: ClientCtor<C>, region?: string): C => {
    const client = base.clients.get(c, region) as C & { send: Send };
    if ((c as unknown) !== ctor) return client;
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        const send: Send = (cmd) => target.send(cmd);
        return (cmd: Parameters<Answer>[0]) => answer(cmd, send) ?? send(cmd);
      },
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

/** An SDK-style service error (what the SDK throws for an AWS error response). */
export function awsError(name: string, message = name, fault: 'client' | 'server' = 'client'): Error {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: {} });
}

/** A CloudTrail `detail` for ref-mapping tests. */
export function trail(
  eventSource: string,
  eventName: string,
  requestParameters: Record<string, unknown> | null,
  responseElements: Record<string, unknown> | null = null,
): CloudTrailDetail {
  return { eventID: 'e', eventName, eventSource, eventTime: '2026-01-01T00:00:00Z', awsRegion: 'us-east-1', requestParameters, responseElements };
}

/** Every key a described resource has beyond the common ones, sorted. */
export const COMMON_KEYS = ['AccountId', 'Arn', 'Id', 'Name', 'Region', 'ResourceId', 'ResourceType', 'Tags', 'TimeCreated'];
export function typeKeys(resource: object): string[] {
  return Object.keys(resource)
    .filter((k) => !COMMON_KEYS.includes(k))
    .sort();
}

export const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
