/**
 * The Destinations contract. A Slack or webhook URL and a signing key go in (to Secrets Manager,
 * as `posture destinations add` does) and never come back out: a destination is listed with its
 * secret's name only. Imports only zod and #core (the SPA bundles this file).
 */
import { z } from 'zod';
import { SEVERITIES } from '#core/types.ts';

export const severitySchema = z.enum(SEVERITIES as readonly ['Info', 'Low', 'Medium', 'High', 'Critical']);
export const DESTINATION_KINDS = ['slack', 'webhook', 'sns'] as const;

export const destinationRowSchema = z.object({
  destinationId: z.string(),
  type: z.enum(DESTINATION_KINDS),
  minSeverity: severitySchema,
  default: z.boolean(),
  description: z.string().nullable(),
  /** The secret's name (slack/webhook) or the topic ARN (sns); never a URL or key. */
  where: z.string(),
  builtIn: z.boolean(),
});
export type DestinationRow = z.infer<typeof destinationRowSchema>;
export const destinationListSchema = z.object({ destinations: z.array(destinationRowSchema), errors: z.array(z.string()) });

export const addDestinationSchema = z.object({
  destinationId: z.string().min(1),
  type: z.enum(DESTINATION_KINDS),
  minSeverity: severitySchema.default('Info'),
  default: z.boolean().default(false),
  /** slack / webhook: stored in Secrets Manager, never returned. */
  url: z.string().optional(),
  topicArn: z.string().optional(),
  description: z.string().optional(),
});
export const addedSchema = z.object({ destination: destinationRowSchema, keyGenerated: z.boolean() });

export const testRequestSchema = z.object({ severity: severitySchema.default('High') });
export const testResultSchema = z.object({ delivered: z.boolean(), attempts: z.number().nullable(), error: z.string().nullable() });
export const removedSchema = z.object({ removed: z.string(), secretDeleted: z.string().nullable() });
