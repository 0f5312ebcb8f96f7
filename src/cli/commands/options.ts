/**
 * The CLI's one option vocabulary, shared by every verb: the target (`--stack | --endpoint`,
 * `--region`, `--profile`), `--format` with `--json` as its shorthand, plural list flags that take
 * repeats and commas (`--accounts`, `--types`, `--regions`, `--policies`; the old singular
 * spellings stay as hidden aliases), `--min-severity` (alias `--severity`), and IDs given as an
 * argument or as `--id`. Values are checked as they are parsed, so a typo is a usage error (exit 2,
 * bin/cli.ts) with a suggestion, never an empty result.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseSince, SinceError } from '#core/since.ts';
import { SEVERITIES, type Severity } from '#core/types.ts';
import { REGISTRY } from '#resources/index.ts';
import { didYouMean } from '../did-you-mean.ts';
import { resolveTarget, TargetError, type Target, type TargetOptions } from '../target.ts';

/** The exit code of every usage error. */
export const USAGE_EXIT = 2;

/** `--stack NAME | --endpoint URL`, `--region R` (unless `region: false`) and `--profile NAME`. */
export function addTargetOptions(cmd: Command, opts: { region?: boolean } = {}): Command {
  cmd
    .option('--stack <name>', 'a deployed Posture stack (read through its outputs with your AWS credentials)')
    .option('--endpoint <url>', 'a running local runtime (e.g. from posture demo --keep-running)')
    .option('--profile <name>', 'AWS profile for --stack (default: the standard credential chain)');
  if (opts.region !== false) cmd.option('--region <region>', 'the region of the stack (default: AWS_REGION or us-east-1)');
  // The SDK's credential chain reads AWS_PROFILE when the first client resolves credentials.
  return cmd.hook('preAction', (_self, action) => {
    const profile = action.opts<{ profile?: string }>().profile;
    if (profile) process.env.AWS_PROFILE = profile;
  });
}

/** Resolves the target, or prints the one-line reason and sets exit code 2. */
export async function targetOrExit(verb: string, opts: TargetOptions): Promise<Target | undefined> {
  try {
    return await resolveTarget(opts);
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    console.error(`posture ${verb}: ${err.message}`);
    process.exitCode = USAGE_EXIT;
    return undefined;
  }
}

/** `--accounts 1,2 --accounts 3` → ['1','2','3'] */
export const collectList = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** `--format <one of formats>` and, when json is one of them, `--json` as its shorthand; both set `json` and `format`. */
export function addFormatOptions(cmd: Command, formats: readonly string[], byDefault: string): Command {
  cmd.addOption(new Option('--format <format>', 'output format').choices([...formats]).default(byDefault));
  if (!formats.includes('json')) return cmd;
  cmd.addOption(new Option('--json', 'shorthand for --format json').implies({ format: 'json' }));
  return cmd.hook('preAction', (_self, action) => {
    const o = action.opts<{ format?: string; json?: boolean }>();
    if (o.json && o.format !== 'json') action.error(`error: --json is --format json; it contradicts --format ${o.format}`, { code: 'posture.usage', exitCode: USAGE_EXIT });
    if (o.format === 'json') action.setOptionValue('json', true);
  });
}

/** An option stored under another option's name: how the old singular spellings stay accepted. */
function hiddenAlias<T>(flags: string, attribute: string, parse: (v: string, prev: T) => T): Option {
  const o = new Option(flags).hideHelp().argParser(parse);
  o.attributeName = () => attribute;
  return o;
}

/** A list option: repeatable, comma-separated, each item checked (and expanded) by `item`, duplicates dropped. */
function listParser(item: (v: string) => string[]) {
  return (v: string, prev: string[] = []): string[] => [...new Set([...prev, ...collectList(v).flatMap(item)])];
}

/** A plural list flag, with its old singular spelling (if any) as a hidden alias. */
function addList(cmd: Command, flags: string, description: string, item: (v: string) => string[], alias?: string): Command {
  const option = new Option(flags, `${description}; comma-separated, repeatable`).argParser(listParser(item));
  cmd.addOption(option);
  if (alias) cmd.addOption(hiddenAlias(`--${alias} <list>`, option.attributeName(), listParser(item)));
  return cmd;
}

const ACCOUNT_RE = /^\d{12}$/;
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;

const accountItem = (v: string): string[] => {
  if (!ACCOUNT_RE.test(v)) throw new InvalidArgumentError(`'${v}' is not a 12-digit AWS account ID`);
  return [v];
};

/** `--accounts` (alias `--account`): 12-digit account IDs. */
export const addAccountsOption = (cmd: Command, description = 'only these accounts', alias?: 'account'): Command => addList(cmd, '--accounts <ids>', description, accountItem, alias);

/** `--regions` (alias `--region` only where it never named the stack's region): region names; `global` when allowed. */
export function addRegionsOption(cmd: Command, description = 'only these regions', opts: { global?: boolean } = {}): Command {
  return addList(cmd, '--regions <regions>', description, (v) => {
    if (REGION_RE.test(v) || (opts.global && v === 'global')) return [v];
    throw new InvalidArgumentError(`'${v}' is not a region name like eu-west-1${opts.global ? " (or 'global' for global types)" : ''}`);
  });
}

/** The service of a registry type: `AWS.S3.Bucket` → `s3`. */
const serviceOf = (type: string): string => type.split('.')[1]!.toLowerCase();

/**
 * One `--types` item as registry types: a type name (any case), or a service shorthand (`s3`,
 * `ec2`) for all of that service's types. Anything else is an error naming the closest types.
 */
export function expandTypes(item: string, registry: readonly { type: string }[] = REGISTRY): string[] {
  const names = registry.map((t) => t.type).sort();
  const exact = names.find((n) => n.toLowerCase() === item.toLowerCase());
  if (exact) return [exact];
  const ofService = names.filter((n) => serviceOf(n) === item.toLowerCase());
  if (ofService.length) return ofService;
  const services = [...new Set(names.map(serviceOf))];
  const hint = didYouMean(item, names) || didYouMean(item, services);
  throw new InvalidArgumentError(`unknown resource type '${item}'${hint || `; known: ${names.join(', ')}, or a service (${services.join(', ')})`}`);
}

/** The parser of a list of types: repeats, commas, service shorthands, typos refused (also `accounts add --exclude-types`). */
export const typeList = listParser((v) => expandTypes(v));

/** `--types` (alias `--type`): registry types or service shorthands. */
export const addTypesOption = (cmd: Command, description = 'only these resource types or services (e.g. AWS.S3.Bucket, s3, ec2)', alias?: 'type'): Command =>
  addList(cmd, '--types <types>', description, (v) => expandTypes(v), alias);

/** `--policies` (alias `--policy`): policy IDs, checked against the active pack by the verb (checkPolicyIds). */
export const addPoliciesOption = (cmd: Command, description = 'only these policy IDs', alias?: 'policy'): Command => addList(cmd, '--policies <ids>', description, (v) => [v], alias);

/** The policy IDs a pack does not define, as one usage-error line with suggestions; undefined when all are known. */
export function unknownPoliciesProblem(ids: readonly string[] | undefined, known: readonly string[], pack: string): string | undefined {
  const bad = (ids ?? []).filter((id) => !known.includes(id));
  if (!bad.length) return undefined;
  return bad.map((id) => `unknown policy '${id}' in ${pack}${didYouMean(id, known)}`).join('; ');
}

/** A severity name in any case, as the canonical name. */
export const matchSeverity = (v: string): Severity | undefined => SEVERITIES.find((s) => s.toLowerCase() === v.toLowerCase());

const severityArg = (v: string): Severity => {
  const s = matchSeverity(v);
  if (!s) throw new InvalidArgumentError(`'${v}' is not one of ${SEVERITIES.join(', ')}${didYouMean(v, SEVERITIES)}`);
  return s;
};

/** `--min-severity` (alias `--severity`): a floor; results below it are left out. */
export function addMinSeverityOption(cmd: Command, description = 'minimum severity'): Command {
  return cmd
    .addOption(new Option('--min-severity <severity>', `${description} (${SEVERITIES.join(', ')})`).argParser(severityArg))
    .addOption(hiddenAlias('--severity <severity>', 'minSeverity', severityArg));
}

/** `[id]` as an argument or `--id ID` (the same value twice is fine; two different ones or none is a usage error). */
export function addIdArgument(cmd: Command, what: string): Command {
  return cmd.argument('[id]', what).option('--id <id>', `${what} (or as the argument)`);
}

/** The ID given as the argument or as --id; exits 2 through commander when there is none or two different ones. */
export function idOf(cmd: Command, positional: string | undefined, flag: string | undefined): string {
  if (positional !== undefined && flag !== undefined && positional !== flag) cmd.error(`error: two IDs given: '${positional}' and --id '${flag}'`, { code: 'posture.usage', exitCode: USAGE_EXIT });
  const id = positional ?? flag;
  const what = cmd.registeredArguments[0]?.description ?? 'the ID';
  if (id === undefined) cmd.error(`error: missing ${what}: give it as the argument or as --id`, { code: 'posture.usage', exitCode: USAGE_EXIT });
  return id;
}

/**
 * `--since <when>`: a duration back from now (30d, 24h, 90m) or an ISO time, parsed to an ISO time
 * when the option is read (#core/since.ts); a bad value is a usage error.
 */
export function addSinceOption(cmd: Command, description: string, byDefault: string): Command {
  const parse = (v: string): string => {
    try {
      return parseSince(v, new Date());
    } catch (err) {
      if (err instanceof SinceError) throw new InvalidArgumentError(err.message);
      throw err;
    }
  };
  return cmd.addOption(new Option('--since <when>', `${description}: a duration back from now (30d, 24h, 90m) or an ISO time`).default(parse(byDefault), byDefault).argParser(parse));
}
