/**
 * Slack incoming webhook: a readable message (severity, title, resource, cause, account/region,
 * runbook) with a plain `text` fallback for notifications. Resource IDs and titles come from the
 * scanned accounts, and the cause's ARNs and user agents from the caller of an API, so everything
 * is escaped: a resource named `<!channel>` must not page a whole channel.
 */
import { newestActor, oneLine } from '#core/provenance.ts';
import type { AlertPayload } from './alert-payload.ts';
import { postJson, type PostOptions } from './http-post.ts';

/** Slack's limits: header text 150 characters, section text 3,000. */
const HEADER_MAX = 150;
const SECTION_MAX = 2_900;
/** A user agent is the caller's to choose: shown clipped, on one line. */
const USER_AGENT_MAX = 200;

const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Escapes Slack mrkdwn control characters (mentions and links start with `<`). */
export const slackEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A code span: backticks cannot be escaped inside one, so they are replaced. */
const code = (s: string): string => `\`${slackEscape(s).replace(/`/g, "'")}\``;

/** An https link with a label, or the escaped text when it is not a plain https URL. */
function link(value: string, label: string): string {
  const v = value.trim();
  return /^https:\/\/[^\s|<>]+$/.test(v) ? `<${v}|${label}>` : slackEscape(v);
}

const ICON: Record<string, string> = { Critical: ':red_circle:', High: ':large_orange_circle:', Medium: ':large_yellow_circle:', Low: ':large_blue_circle:', Info: ':white_circle:' };

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

export function slackMessage(p: AlertPayload): SlackMessage {
  const resolved = p.kind === 'resolved';
  const lead = resolved ? `RESOLVED [${p.severity}]` : `[${p.severity}]`;
  const fields = [
    ['Severity', `${ICON[p.severity] ?? ''} ${p.severity}`.trim()],
    ['Status', resolved ? `Resolved ${p.resolvedAt ?? ''}`.trim() : 'Open'],
    ['Account', code(p.accountId)],
    ['Region', code(p.region)],
    ['Resource type', code(p.resourceType)],
    ['Policy', code(p.policyId)],
  ].map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` }));
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(`${lead} ${p.title}`, HEADER_MAX), emoji: false } },
    { type: 'section', fields },
    { type: 'section', text: { type: 'mrkdwn', text: cut(`*Resource*\n${code(p.resourceId)}`, SECTION_MAX) } },
  ];
  const cause = causeSection(p);
  if (cause) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(cause, SECTION_MAX) } });
  if (p.description) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(`*Description*\n${slackEscape(p.description)}`, SECTION_MAX) } });
  const refs = [p.runbook ? `*Runbook*: ${link(p.runbook, 'runbook')}` : '', p.reference ? `*Reference*: ${link(p.reference, 'reference')}` : ''].filter(Boolean);
  if (refs.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(refs.join('\n'), SECTION_MAX) } });
  const context = [`Opened ${p.openedAt}`, p.firstSeen ? `resource first seen ${p.firstSeen}` : '', `trigger ${slackEscape(p.trigger)}`].filter(Boolean).join(' · ');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context }] });
  const text = `${lead} ${slackEscape(p.title)}: ${slackEscape(p.resourceId)} (account ${p.accountId}, ${p.region})`;
  return { text: cut(text, SECTION_MAX), blocks };
}

/**
 * What caused the transition ("opened after arn:… called … from … at …", or the scan window) and,
 * when an event is behind it, the caller's user agent — each escaped and kept to one line.
 */
function causeSection(p: AlertPayload): string | undefined {
  if (!p.cause) return undefined;
  const ua = newestActor(p.provenance)?.userAgent;
  return `*Cause*\n${slackEscape(oneLine(p.cause))}${ua ? `\n*User agent* ${code(cut(oneLine(ua), USER_AGENT_MAX))}` : ''}`;
}

export async function postSlack(url: URL, payload: AlertPayload, opts?: PostOptions): Promise<number> {
  return postJson(url, JSON.stringify(slackMessage(payload)), {}, opts);
}
