/**
 * `posture console [--endpoint URL | --stack NAME] [--port N] [--role admin|analyst|viewer]`: the
 * web console on 127.0.0.1 against a local runtime (or a stack, with your AWS credentials). Prints
 * a sign-in URL with a one-time token; Ctrl-C stops it.
 */
import { userInfo } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ROLES, type Principal, type Role } from '#console/auth.ts';
import { consolePorts } from '../console-ports.ts';
import { startConsoleServer, type ConsoleServer } from '../console-server.ts';
import type { Target, TargetOptions } from '../target.ts';
import { addTargetOptions, targetOrExit } from './options.ts';

/** The local principal: the OS user, with the role given. */
export function localPrincipal(role: Role): Principal {
  const name = userInfo().username || 'local';
  return { id: `local:${name}`, name, role };
}

/** Starts the console on a resolved target and prints its sign-in URL. */
export async function startConsole(target: Target, opts: { port?: number; role?: Role; region?: string }, print: (line: string) => void = (l) => console.log(l)): Promise<ConsoleServer> {
  const region = opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const server = await startConsoleServer({ ports: consolePorts(target, region), principal: localPrincipal(opts.role ?? 'admin'), port: opts.port });
  print(`Console: ${server.signInUrl()}`);
  return server;
}

const portArg = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`'${v}' is not a port number (0-65535)`);
  return n;
};

export function registerConsole(program: Command): void {
  const cmd = program
    .command('console')
    .description('the web console on 127.0.0.1 (prints a sign-in URL with a one-time token)')
    .addOption(new Option('--port <n>', 'port to listen on (default: any free port)').argParser(portArg))
    .addOption(new Option('--role <role>', 'the role of the local user').choices([...ROLES]).default('admin'));
  addTargetOptions(cmd).action(async (opts: TargetOptions & { port?: number; role: Role }) => {
    const target = await targetOrExit('console', opts);
    if (!target) return;
    const server = await startConsole(target, opts);
    console.log('Ctrl-C to stop.');
    await new Promise<void>((res) => process.once('SIGINT', () => res()));
    await server.close();
  });
}
