/**
 * The rehearsal's Lambda service: one long-lived execution environment per deployed function,
 * started from the function's cdk.out asset copied outside the repository, with the environment
 * the deployed function declares, the credentials of its own role, and AWS_ENDPOINT_URL pointing at
 * a recording proxy in front of moto (every call it makes is kept for the IAM check).
 *
 * Invocations reach it from moto (the launcher forwards Lambda Invoke, including the Step
 * Functions interpreter's Lambda tasks, to this router: src/local/moto_server.py) or directly
 * from the rehearsal's event source pollers (sources.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionConfigurationCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { pythonExecutable } from '../../../src/core/paths.ts';
import { resourcesOfType, type DeployedStack, type Json } from './deploy.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** One AWS API call as a function made it (what the IAM check evaluates). */
export interface RecordedCall {
  functionName: string;
  /** Access key that signed it: the function role's, or one it obtained (e.g. a member audit role). */
  accessKeyId: string;
  /** Signing name from the SigV4 credential scope (dynamodb, s3, sqs, ...). */
  service: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface FunctionError {
  errorType: string;
  errorMessage: string;
}

export class InvocationError extends Error {
  constructor(
    readonly functionName: string,
    readonly error: FunctionError,
  ) {
    super(`${functionName}: ${error.errorType}: ${error.errorMessage}`);
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** One execution environment (a child process) of one function. */
class Environment {
  readonly logs: string[] = [];
  /** The runtime's own version (`process.version` / `sys.version`), as its init reported it. */
  runtimeVersion = '';
  private readonly pending = new Map<string, Pending>();
  private queue: Promise<unknown> = Promise.resolve();
  private ready: Promise<Json>;
  private buffer = '';

  constructor(
    readonly name: string,
    readonly config: FunctionConfiguration,
    private readonly child: ChildProcess,
    private readonly kind: 'node' | 'python',
  ) {
    const log = (d: Buffer) => {
      this.logs.push(d.toString());
      if (this.logs.length > 2000) this.logs.splice(0, 1000);
      if (process.env.POSTURE_REHEARSAL_LOG === '1') process.stderr.write(`[${name}] ${d.toString()}`);
    };
    child.stdout?.on('data', log);
    child.stderr?.on('data', log);
    let initDone: (m: Json) => void = () => undefined;
    let initFailed: (e: Error) => void = () => undefined;
    this.ready = new Promise<Json>((res, rej) => {
      initDone = res;
      initFailed = rej;
    });
    this.ready.catch(() => undefined); // surfaced by init()
    const onMessage = (msg: Json) => {
      if (msg.init !== undefined) {
        if (msg.init === 'ok') initDone(msg);
        else initFailed(new InvocationError(name, msg.init as FunctionError));
        return;
      }
      const p = this.pending.get(msg.id as string);
      if (!p) return;
      this.pending.delete(msg.id as string);
      if (msg.error) p.reject(new InvocationError(name, msg.error as FunctionError));
      else p.resolve(msg.result);
    };
    if (kind === 'node') child.on('message', (m) => onMessage(m as Json));
    else {
      (child.stdio[4] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
        this.buffer += d.toString();
        let nl: number;
        while ((nl = this.buffer.indexOf('\n')) >= 0) {
          const line = this.buffer.slice(0, nl);
          this.buffer = this.buffer.slice(nl + 1);
          if (line.trim()) onMessage(JSON.parse(line) as Json);
        }
      });
    }
    child.on('exit', (code) => {
      const err = new Error(`${name}: the runtime exited (${code}): ${this.logs.join('').slice(-2000)}`);
      initFailed(err);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  async init(): Promise<Json> {
    const msg = await this.ready;
    this.runtimeVersion = String(msg.node ?? msg.python ?? '');
    return msg;
  }

  /** One invocation at a time, as in one Lambda execution environment. */
  invoke(event: unknown): Promise<unknown> {
    const run = async () => {
      await this.ready;
      const id = randomUUID();
      const timeoutMs = (this.config.Timeout ?? 3) * 1000;
      const msg = {
        id,
        event,
        requestId: id,
        deadline: Date.now() + timeoutMs,
        functionArn: this.config.FunctionArn,
        traceId: `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Parent=${randomUUID().replace(/-/g, '').slice(0, 16)};Sampled=0`,
      };
      const answer = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
      if (this.kind === 'node') this.child.send(msg);
      else (this.child.stdio[3] as NodeJS.WritableStream).write(`${JSON.stringify(msg)}\n`);
      const timer = setTimeout(() => {
        const p = this.pending.get(id);
        this.pending.delete(id);
        p?.reject(new InvocationError(this.name, { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timeoutMs / 1000} seconds` }));
      }, timeoutMs);
      try {
        return await answer;
      } finally {
        clearTimeout(timer);
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}

export interface FleetOptions {
  clients: AwsClients;
  endpoint: string;
  deployed: DeployedStack;
  assemblyDir: string;
  /** Port the emulator forwards Lambda Invoke to (POSTURE_LAMBDA_ROUTER). */
  routerPort: number;
  /** Port of the queue URLs' host (POSTURE_SQS_URL_BASE): a recording proxy that tells the
   *  calling function by the access key that signed the call. */
  queueHostPort: number;
  /** Node binary of the nodejs runtime (rehearsalNode(): the declared major version). */
  nodeBinary: string;
}

/** The deployed functions, their environments, the router and the call records. */
export class Fleet {
  readonly calls: RecordedCall[] = [];
  readonly environments = new Map<string, Environment>();
  /** Function name → logical ID in the template. */
  readonly logicalIds = new Map<string, string>();
  /** Function name → the access keys of its role's sessions (one per execution environment started). */
  readonly roleKeys = new Map<string, Set<string>>();
  readonly invocations: { functionName: string; event: unknown; outcome: 'ok' | 'error'; result?: unknown; error?: FunctionError }[] = [];
  private readonly servers: Server[] = [];
  private readonly work = mkdtempSync(join(tmpdir(), 'posture-rehearsal-'));

  private constructor(private readonly opts: FleetOptions) {}

  static async start(opts: FleetOptions): Promise<Fleet> {
    const fleet = new Fleet(opts);
    try {
      await fleet.startRouter();
      await fleet.startProxy(undefined, opts.queueHostPort);
      const { template, physical } = opts.deployed;
      for (const logicalId of resourcesOfType(template, 'AWS::Lambda::Function').filter((id) => !opts.deployed.stripped.has(id))) {
        await fleet.startFunction(logicalId, physical[logicalId]!);
      }
    } catch (err) {
      await fleet.stop();
      throw err;
    }
    return fleet;
  }

  /** The function's physical name by the construct path prefix of its logical ID (e.g. `ScanScanScopeFunction`). */
  functionName(logicalIdPrefix: string): string {
    const matches = [...this.logicalIds].filter(([, id]) => id.startsWith(logicalIdPrefix));
    if (matches.length !== 1) throw new Error(`${logicalIdPrefix}: ${matches.length} functions match`);
    return matches[0]![0];
  }

  async invoke(functionName: string, event: unknown): Promise<unknown> {
    const env = this.environments.get(functionName);
    if (!env) throw new Error(`no function ${functionName}`);
    try {
      const out = await env.invoke(event);
      this.invocations.push({ functionName, event, outcome: 'ok', result: out });
      return out;
    } catch (err) {
      this.invocations.push({ functionName, event, outcome: 'error', error: err instanceof InvocationError ? err.error : { errorType: 'Error', errorMessage: String(err) } });
      throw err;
    }
  }

  /**
   * Changes a function's environment as an operator would (UpdateFunctionConfiguration on the
   * deployed function) and starts a fresh execution environment from the new configuration.
   * Returns the previous variables.
   */
  async reconfigure(functionName: string, variables: Record<string, string>): Promise<Record<string, string>> {
    const lambda = this.opts.clients.get(LambdaClient);
    const current = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }))).Environment?.Variables ?? {};
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Environment: { Variables: { ...current, ...variables } } }));
    this.environments.get(functionName)?.stop();
    this.environments.delete(functionName);
    await this.startFunction(this.logicalIds.get(functionName)!, functionName);
    return current;
  }

  /** Restores variables returned by reconfigure() (replacing, not merging). `runtimeOnly`: variables
   *  for the execution environment that are not the function's configuration (a rehearsal stand-in). */
  async restore(functionName: string, variables: Record<string, string>, runtimeOnly: Record<string, string> = {}): Promise<void> {
    const lambda = this.opts.clients.get(LambdaClient);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Environment: { Variables: variables } }));
    this.environments.get(functionName)?.stop();
    this.environments.delete(functionName);
    await this.startFunction(this.logicalIds.get(functionName)!, functionName, runtimeOnly);
  }

  logs(functionName: string): string {
    return this.environments.get(functionName)?.logs.join('') ?? '';
  }

  async stop(): Promise<void> {
    for (const env of this.environments.values()) env.stop();
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))));
    rmSync(this.work, { recursive: true, force: true });
  }

  private listen(server: Server, port = 0): Promise<number> {
    this.servers.push(server);
    return new Promise((res, rej) => {
      server.once('error', rej);
      server.listen(port, '127.0.0.1', () => res((server.address() as { port: number }).port));
    });
  }

  private async startRouter(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const name = decodeURIComponent((req.url ?? '').replace(/^\/invoke\//, ''));
        const body = Buffer.concat(chunks).toString() || '{}';
        this.invoke(name, JSON.parse(body)).then(
          (result) => {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(result));
          },
          (err: Error) => {
            const e = err instanceof InvocationError ? err.error : { errorType: 'Runtime.Error', errorMessage: err.message };
            res.writeHead(200, { 'Content-Type': 'application/json', 'X-Function-Error': 'Unhandled' });
            res.end(JSON.stringify(e));
          },
        );
      });
    });
    await this.listen(server, this.opts.routerPort);
  }

  /** A proxy in front of moto for one function: records every call, forwards it unchanged. */
  private async startProxy(owner: string | undefined, port = 0): Promise<string> {
    const target = new URL(this.opts.endpoint);
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const auth = String(req.headers.authorization ?? '');
        const scope = /Credential=([^/]+)\/\d+\/[^/]+\/([^/]+)\//.exec(auth);
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const accessKeyId = scope?.[1] ?? '';
        const functionName = owner ?? [...this.roleKeys].find(([, keys]) => keys.has(accessKeyId))?.[0] ?? '(unknown caller)';
        this.calls.push({ functionName, accessKeyId, service: scope?.[2] ?? '', method: req.method ?? 'GET', path: req.url ?? '/', headers, body: body.toString() });
        const fwd = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        fwd.on('error', (e) => {
          res.writeHead(502);
          res.end(e.message);
        });
        fwd.end(body);
      });
    });
    return `http://127.0.0.1:${await this.listen(server, port)}`;
  }

  private assetDir(key: string): string {
    return join(this.opts.assemblyDir, `asset.${key.replace(/\.zip$/, '')}`);
  }

  private async startFunction(logicalId: string, functionName: string, runtimeOnly: Record<string, string> = {}): Promise<void> {
    const { clients, deployed } = this.opts;
    const config = (await clients.get(LambdaClient).send(new GetFunctionCommand({ FunctionName: functionName }))).Configuration!;
    this.logicalIds.set(functionName, logicalId);
    const props = deployed.template.Resources[logicalId]!.Properties as {
      Code: { S3Key: string };
      Layers?: { Ref: string }[];
      LoggingConfig?: { LogFormat?: string; LogGroup?: { Ref: string } };
    };

    // The code, as Lambda unpacks it: outside the repository, no node_modules above it.
    const root = join(this.work, `${functionName}-${randomUUID().slice(0, 8)}`);
    const taskRoot = join(root, 'task');
    cpSync(this.assetDir(props.Code.S3Key), taskRoot, { recursive: true, dereference: true });

    // The function's own role, as Lambda's service assumes it for the function.
    const sts = clients.get(STSClient);
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: config.Role!, RoleSessionName: functionName.slice(0, 64) }));
    const c = assumed.Credentials!;
    this.roleKeys.set(functionName, new Set([...(this.roleKeys.get(functionName) ?? []), c.AccessKeyId!]));
    const endpoint = await this.startProxy(functionName);
    const runtime = config.Runtime ?? '';
    const env: Record<string, string> = {
      ...(config.Environment?.Variables ?? {}),
      AWS_REGION: clients.region,
      AWS_DEFAULT_REGION: clients.region,
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.MemorySize ?? 128),
      // LoggingConfig too is dropped by moto's CloudFormation: from the template.
      AWS_LAMBDA_LOG_GROUP_NAME: (props.LoggingConfig?.LogGroup && deployed.physical[props.LoggingConfig.LogGroup.Ref]) ?? `/aws/lambda/${functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `rehearsal/${randomUUID()}`,
      AWS_LAMBDA_LOG_FORMAT: props.LoggingConfig?.LogFormat ?? 'Text',
      AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
      AWS_ACCESS_KEY_ID: c.AccessKeyId!,
      AWS_SECRET_ACCESS_KEY: c.SecretAccessKey!,
      AWS_SESSION_TOKEN: c.SessionToken!,
      LAMBDA_TASK_ROOT: taskRoot,
      _HANDLER: config.Handler!,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      // The only rehearsal addition: the SDKs send every call to the recording proxy.
      AWS_ENDPOINT_URL: endpoint,
      ...runtimeOnly,
    };
    let child: ChildProcess;
    let kind: 'node' | 'python';
    if (runtime.startsWith('nodejs')) {
      kind = 'node';
      const runner = join(root, 'runtime.mjs');
      cpSync(join(here, 'node-runtime.mjs'), runner);
      child = spawn(this.opts.nodeBinary, [runner, taskRoot, config.Handler!], {
        cwd: taskRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
    } else if (runtime.startsWith('python')) {
      kind = 'python';
      const opt = join(root, 'opt');
      mkdirSync(opt);
      // moto's CloudFormation drops a function's Layers: they come from the template (mounted at
      // /opt in Lambda; here the copy's python/ goes on sys.path as Lambda puts /opt/python).
      for (const layer of props.Layers ?? []) {
        const layerProps = deployed.template.Resources[layer.Ref]!.Properties as { Content: { S3Key: string } };
        cpSync(this.assetDir(layerProps.Content.S3Key), opt, { recursive: true, dereference: true });
      }
      const runner = join(root, 'runtime.py');
      cpSync(join(here, 'python-runtime.py'), runner);
      const paths = [join(opt, 'python'), this.pythonRuntimePackages()];
      env.PYTHONPATH = '';
      child = spawn(pythonExecutable(), ['-I', '-S', runner, taskRoot, config.Handler!, ...paths], {
        cwd: taskRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      });
    } else {
      throw new Error(`${functionName}: runtime ${runtime} is not rehearsed`);
    }
    const environment = new Environment(functionName, config, child, kind);
    this.environments.set(functionName, environment);
    await environment.init();
  }

  /** What Lambda's Python runtime itself provides besides the stdlib: boto3 and its dependencies. */
  private pythonRuntimePackages(): string {
    const dir = join(this.work, 'var-runtime');
    if (existsSync(dir)) return dir;
    mkdirSync(dir);
    const r = spawnSync(pythonExecutable(), ['-c', 'import boto3, os; print(os.path.dirname(os.path.dirname(boto3.__file__)))'], { encoding: 'utf8' });
    const site = r.stdout.trim();
    for (const name of ['boto3', 'botocore', 's3transfer', 'jmespath', 'dateutil', 'urllib3', 'six.py']) {
      if (existsSync(join(site, name))) symlinkSync(join(site, name), join(dir, name));
    }
    writeFileSync(join(dir, 'README'), 'Stands in for /var/runtime: the packages Lambda\'s Python runtime provides.\n');
    return dir;
  }
}
