/**
 * The IAM check of the rehearsal: an exact evaluator of the synthesized identity policies (as
 * CloudFormation created them on the emulator) over the calls the functions actually made.
 *
 * Why not moto's own enforcement: moto authorizes by action only (the resource is `*` for every
 * service but S3), ignores conditions, and its Step Functions interpreter calls with fixed
 * credentials it does not know — so a call outside a role's resources or conditions would pass.
 *
 * Each recorded call signed with a function role's credentials is mapped to the IAM request it is
 * (action, resource ARN, the condition keys the stack's policies use) and evaluated: an explicit
 * Deny wins, otherwise some Allow must match action, resource and conditions. A condition key the
 * evaluator does not know fails closed. Calls made with credentials the function obtained (a
 * member account's audit role) are that account's business and not evaluated here.
 */
import { GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, GetPolicyCommand, GetPolicyVersionCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../../../src/aws/clients.ts';
import type { RecordedCall } from './fleet.ts';

export interface IamRequest {
  action: string;
  resource: string;
  context: Record<string, string[]>;
}

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

const glob = (pattern: string, value: string, caseInsensitive = false): boolean => {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
  return re.test(value);
};

/** The role's identity policies: inline and attached, as the emulator holds them. */
export async function rolePolicies(clients: AwsClients, roleArn: string): Promise<Statement[]> {
  const iam = clients.get(IAMClient);
  const roleName = roleArn.split('/').pop()!;
  const docs: string[] = [];
  for (const name of (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? []) {
    docs.push(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))).PolicyDocument!));
  }
  for (const attached of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? []) {
    const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: attached.PolicyArn }))).Policy!;
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: attached.PolicyArn, VersionId: policy.DefaultVersionId }));
    docs.push(decodeURIComponent(version.PolicyVersion!.Document!));
  }
  return docs.flatMap((d) => list((JSON.parse(d) as { Statement: Statement | Statement[] }).Statement));
}

function conditionHolds(condition: Statement['Condition'], context: Record<string, string[]>): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      const values = context[key];
      if (values === undefined) return false; // unknown key or absent value: fail closed
      const wanted = list(expected);
      const match = (v: string) => {
        if (/^(ForAllValues:|ForAnyValue:)?StringEquals$/.test(operator)) return wanted.includes(v);
        if (/^(ForAllValues:|ForAnyValue:)?StringLike$/.test(operator)) return wanted.some((w) => glob(w, v));
        throw new Error(`IAM evaluator: condition operator ${operator} is not supported`);
      };
      if (operator.startsWith('ForAllValues:')) {
        if (!values.every(match)) return false;
      } else if (!values.some(match)) return false;
    }
  }
  return true;
}

const statementMatches = (s: Statement, r: IamRequest): boolean => {
  if (s.NotAction || s.NotResource) throw new Error('IAM evaluator: NotAction/NotResource are not supported');
  return list(s.Action).some((a) => glob(a, r.action, true)) && list(s.Resource).some((p) => glob(p, r.resource)) && conditionHolds(s.Condition, r.context);
};

export function isAllowed(statements: Statement[], request: IamRequest): boolean {
  if (statements.some((s) => s.Effect === 'Deny' && statementMatches(s, request))) return false;
  return statements.some((s) => s.Effect === 'Allow' && statementMatches(s, request));
}

const DDB_ITEM_OPS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

const DDB_EXPRESSION_WORDS = /^(SET|REMOVE|ADD|DELETE|AND|OR|NOT|BETWEEN|IN|attribute_exists|attribute_not_exists|attribute_type|begins_with|contains|size|if_not_exists|list_append)$/i;

/** The top-level attributes a DynamoDB request names (what `dynamodb:Attributes` holds): its key
 *  or item, and every attribute its expressions name (placeholders resolved). */
function ddbAttributes(op: Record<string, unknown>): string[] {
  const names = new Set<string>(Object.keys((op.Key ?? op.Item ?? {}) as object));
  const placeholders = (op.ExpressionAttributeNames ?? {}) as Record<string, string>;
  for (const field of ['UpdateExpression', 'ConditionExpression', 'ProjectionExpression', 'FilterExpression', 'KeyConditionExpression']) {
    const expr = String(op[field] ?? '').replace(/:[\w]+/g, ' ');
    for (const m of expr.matchAll(/#?[A-Za-z_][\w]*/g)) {
      const token = m[0];
      const top = token.startsWith('#') ? placeholders[token] : token;
      if (top && !DDB_EXPRESSION_WORDS.test(top)) names.add(top);
    }
  }
  return [...names];
}

/** What IAM evaluates for one recorded call (several for batch and transaction calls). */
export function iamRequests(call: RecordedCall, account: string, region: string): IamRequest[] {
  const target = call.headers['x-amz-target'];
  const json = (): Record<string, unknown> => (call.body ? (JSON.parse(call.body) as Record<string, unknown>) : {});
  const form = () => new URLSearchParams(call.body);
  const table = (name: string, index?: string) => `arn:aws:dynamodb:${region}:${account}:table/${name}${index ? `/index/${index}` : ''}`;
  switch (call.service) {
    case 'dynamodb': {
      const op = target!.split('.')[1]!;
      const body = json();
      if (op === 'BatchWriteItem' || op === 'BatchGetItem') {
        return Object.entries(body.RequestItems as Record<string, unknown[]>).flatMap(([name, items]) =>
          op === 'BatchGetItem'
            ? [{ action: 'dynamodb:BatchGetItem', resource: table(name), context: {} }]
            : [{ action: 'dynamodb:BatchWriteItem', resource: table(name), context: {} }, ...items.map((i) => ({ action: `dynamodb:${Object.keys(i as object)[0] === 'PutRequest' ? 'PutItem' : 'DeleteItem'}`, resource: table(name), context: {} }))],
        );
      }
      if (op === 'TransactWriteItems' || op === 'TransactGetItems') {
        return (body.TransactItems as Record<string, Record<string, unknown>>[]).map((item) => {
          const [kind, inner] = Object.entries(item)[0]!;
          return { action: `dynamodb:${DDB_ITEM_OPS[kind]}`, resource: table(String(inner.TableName)), context: { 'dynamodb:Attributes': ddbAttributes(inner) } };
        });
      }
      return [{ action: `dynamodb:${op}`, resource: table(String(body.TableName), body.IndexName as string | undefined), context: { 'dynamodb:Attributes': ddbAttributes(body) } }];
    }
    case 'sqs': {
      const body = target ? json() : Object.fromEntries(form());
      const op = target ? target.split('.')[1]! : String(body.Action);
      const url = String(body.QueueUrl);
      return [{ action: `sqs:${op.replace(/Batch$/, '')}`, resource: `arn:aws:sqs:${region}:${account}:${url.split('/').pop()}`, context: {} }];
    }
    case 'sns': {
      const body = form();
      return [{ action: `sns:${body.get('Action')}`, resource: String(body.get('TopicArn') ?? body.get('TargetArn')), context: {} }];
    }
    case 'sts': {
      const body = form();
      const action = String(body.get('Action'));
      if (action === 'GetCallerIdentity') return []; // always allowed
      return [{ action: `sts:${action}`, resource: String(body.get('RoleArn')), context: {} }];
    }
    case 'secretsmanager': {
      const body = json();
      const id = String(body.SecretId);
      const arn = id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${region}:${account}:secret:${id}-AbCdEf`;
      return [{ action: `secretsmanager:${target!.split('.')[1]}`, resource: arn, context: {} }];
    }
    case 'lambda': {
      const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(call.path);
      if (!m) throw new Error(`IAM evaluator: unmapped Lambda call ${call.method} ${call.path}`);
      const name = decodeURIComponent(m[1]!);
      return [{ action: 'lambda:InvokeFunction', resource: name.startsWith('arn:') ? name : `arn:aws:lambda:${region}:${account}:function:${name}`, context: {} }];
    }
    case 's3': {
      const url = new URL(call.path, 'http://x');
      const [bucket, ...rest] = url.pathname.slice(1).split('/');
      const key = decodeURIComponent(rest.join('/'));
      if (!key) {
        if (call.method === 'GET' && (url.searchParams.has('list-type') || url.searchParams.size === 0 || url.searchParams.has('prefix'))) {
          return [{ action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}`, context: { 's3:prefix': [url.searchParams.get('prefix') ?? ''] } }];
        }
        throw new Error(`IAM evaluator: unmapped S3 bucket call ${call.method} ${call.path}`);
      }
      const action = { GET: 's3:GetObject', HEAD: 's3:GetObject', PUT: 's3:PutObject', DELETE: 's3:DeleteObject' }[call.method];
      if (!action) throw new Error(`IAM evaluator: unmapped S3 call ${call.method} ${call.path}`);
      return [{ action, resource: `arn:aws:s3:::${bucket}/${key}`, context: {} }];
    }
    case 'states': {
      // Step Functions (JSON 1.0): StartExecution names the state machine, DescribeExecution the execution.
      const body = json();
      return [{ action: `states:${target!.split('.')[1]}`, resource: String(body.stateMachineArn ?? body.executionArn), context: {} }];
    }
    default:
      throw new Error(`IAM evaluator: no mapping for ${call.service} calls (${call.method} ${call.path} ${target ?? ''})`);
  }
}
