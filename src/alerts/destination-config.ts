/**
 * Alert destinations as operators configure them (the Destinations table): what each one is, the
 * lowest severity it receives, and whether alerts that name no destination go to it. Webhook URLs
 * and signing keys are not here: they live in Secrets Manager under SECRET_PREFIX, referenced by ARN.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '#core/types.ts';

/** The stack's own alerts topic: always configured, a default destination unless overridden. */
export const DEFAULT_TOPIC_ID = 'default-topic';

/** Extra SNS destinations: topics of the stack's account and region named `posture-*` (what the dispatcher may publish to). */
export const TOPIC_PREFIX = 'posture-';

/** Secrets of destinations are named `posture/destinations/<id>`; the dispatcher may read only these. */
export const SECRET_PREFIX = 'posture/destinations/';
export const secretName = (destinationId: string): string => `${SECRET_PREFIX}${destinationId}`;

export const DESTINATION_TYPES = ['sns', 'slack', 'webhook'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

export class DestinationError extends Error {}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const destinationSchema = z
  .object({
    destinationId: z.string().regex(ID, 'lower-case letters, digits and -, at most 63 characters'),
    type: z.enum(DESTINATION_TYPES),
    minSeverity: z.enum(SEVERITIES as [Severity, ...Severity[]]),
    default: z.boolean(),
    /** slack / webhook: the secret holding the URL (and the webhook's signing key). */
    secretArn: z.string().min(1).optional(),
    /** sns: the topic (the built-in default-topic takes the stack's topic). */
    topicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:posture-[A-Za-z0-9_-]+$/, `an SNS topic ARN whose name starts with ${TOPIC_PREFIX} (the dispatcher may publish only to those)`)
      .optional(),
    description: z.string().max(500).optional(),
    updatedAt: z.string().optional(),
  })
  .superRefine((d, ctx) => {
    if ((d.type === 'slack' || d.type === 'webhook') && !d.secretArn) ctx.addIssue({ code: 'custom', path: ['secretArn'], message: `required for a ${d.type} destination` });
    if (d.type === 'sns' && d.destinationId !== DEFAULT_TOPIC_ID && !d.topicArn) ctx.addIssue({ code: 'custom', path: ['topicArn'], message: 'required for an sns destination' });
    if (d.destinationId === DEFAULT_TOPIC_ID && d.type !== 'sns') ctx.addIssue({ code: 'custom', path: ['type'], message: `${DEFAULT_TOPIC_ID} is the stack's SNS topic; its type is sns` });
  });

export type Destination = z.infer<typeof destinationSchema>;

/** Validates one destination; throws a DestinationError naming the destination and field. */
export function validateDestination(input: unknown): Destination {
  const parsed = destinationSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const id = (input as { destinationId?: unknown } | null)?.destinationId;
  const issue = parsed.error.issues[0]!;
  throw new DestinationError(`destination ${typeof id === 'string' ? id : '?'}: ${issue.path.join('.') || 'item'}: ${issue.message}`);
}

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** Parses a severity case-insensitively (CLI input). */
export function parseSeverity(value: string): Severity {
  const s = SEVERITIES.find((x) => x.toLowerCase() === value.trim().toLowerCase());
  if (!s) throw new DestinationError(`min-severity: '${value}' is not one of ${SEVERITIES.join(', ')}`);
  return s;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * A delivery URL must be HTTPS. Plain HTTP is allowed only to a loopback host, and only where the
 * caller says so (the local runtime and tests): in Lambda, loopback is the runtime API itself.
 */
export function validateDeliveryUrl(raw: string, opts: { allowLoopbackHttp: boolean }): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DestinationError('url: not a URL');
  }
  if (url.username || url.password) throw new DestinationError('url: credentials in the URL are not allowed (the whole URL is already secret)');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) {
    if (opts.allowLoopbackHttp) return url;
    throw new DestinationError(`url: http://${url.hostname} is only allowed for a local runtime; deployed destinations need https://`);
  }
  throw new DestinationError(`url: ${url.protocol}//${url.hostname} is not allowed; use https://`);
}

/** What a destination's secret holds (a JSON object). */
export const secretSchemas = {
  slack: z.object({ url: z.string().min(1) }),
  webhook: z.object({ url: z.string().min(1), signingKey: z.string().min(32, 'at least 32 characters') }),
} as const;

export type SlackSecret = z.infer<typeof secretSchemas.slack>;
export type WebhookSecret = z.infer<typeof secretSchemas.webhook>;
