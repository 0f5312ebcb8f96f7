/** The resource attribute reference, generated from the registry (`npm run docs`, checked by a test). */
import { REGISTRY, typeEvents, type AnyResourceType } from '#resources/index.ts';
import { REDACTED } from '#resources/redact.ts';
import { renderExampleSection } from './resource-examples.ts';

const COMMON: [string, string, string][] = [
  ['ResourceId', 'string', 'Unique ID of the resource (the ARN for most types).'],
  ['ResourceType', 'string', 'The Posture/Panther type name.'],
  ['TimeCreated', 'string | null', 'Creation time, RFC 3339, when the AWS API reports one.'],
  ['AccountId', 'string', '12-digit AWS account ID.'],
  ['Region', 'string', 'AWS region, or "global" for global types.'],
  ['Arn', 'string | null', 'ARN, where the type has one.'],
  ['Id', 'string | null', 'The AWS ID, where the type has one.'],
  ['Name', 'string | null', 'The name, where the type has one.'],
  ['Tags', 'object | null', 'Tags as a map of key to value; null when none.'],
];

const fileName = (type: string) => `${type}.md`;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A type's doc; `example` is its example resource's JSON (see resource-examples.ts). */
export function renderTypeDoc(t: AnyResourceType, example?: string): string {
  const events = typeEvents(t)
    .map(({ source, name, rule }) => `\`${source === t.eventSource ? '' : `${source} `}${name}\` (${rule.action}${rule.settleSeconds ? `, settles ${rule.settleSeconds}s` : ''})`)
    .join(', ');
  return [
    `# ${t.type}`,
    '',
    `Generated from the resource registry (\`src/resources/\`); do not edit — run \`npm run docs\`.`,
    '',
    `- Service: \`${t.service}\`; scope: ${t.scope === 'global' ? 'global (scanned once per account)' : 'regional (scanned in every enabled region)'}`,
    `- CloudTrail source: \`${t.eventSource}\``,
    `- Extra read actions beyond SecurityAudit: ${t.iamActions.length ? t.iamActions.map((a) => `\`${a}\``).join(', ') : 'none'}`,
    `- Volatile (not a change on their own): ${t.volatileAttributes?.length ? t.volatileAttributes.map((a) => `\`${a}\``).join(', ') : 'none'}`,
    `- Redacted (secret-bearing values, replaced by \`"${REDACTED}"\` before storage, evaluation and alerts; keys kept): ${t.secretAttributes?.length ? t.secretAttributes.map((a) => `\`${a}\``).join(', ') : 'none'}`,
    '',
    '## Attributes',
    '',
    'Every key is always present; null when unknown or not configured.',
    '',
    '| key | type | description |',
    '|---|---|---|',
    ...COMMON.map(([n, ty, d]) => `| \`${n}\` | ${cell(ty)} | ${cell(d)} |`),
    ...t.attributes.map((a) => `| \`${a.name}\` | ${cell(a.type)} | ${cell(a.description)} |`),
    '',
    '## Real-time events',
    '',
    events || 'none',
    '',
    ...renderExampleSection(t.type, example),
  ].join('\n');
}

export function renderIndex(registry: readonly AnyResourceType[] = REGISTRY): string {
  return [
    '# Resource types',
    '',
    'Generated from the resource registry; do not edit — run `npm run docs`.',
    '',
    'Each type\'s page ends with an example resource scanned from the emulator (`examples/<type>.json`, refreshed by `npm run docs:examples`).',
    '',
    '| type | scope | service |',
    '|---|---|---|',
    ...registry.map((t) => `| [${t.type}](${fileName(t.type)}) | ${t.scope} | ${t.service} |`),
    '',
  ].join('\n');
}

/** Every generated file: path relative to docs/resources → content. `examples`: type → example JSON. */
export function resourceDocs(registry: readonly AnyResourceType[] = REGISTRY, examples: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const files = new Map<string, string>([['README.md', renderIndex(registry)]]);
  for (const t of registry) files.set(fileName(t.type), renderTypeDoc(t, examples.get(t.type)));
  return files;
}
