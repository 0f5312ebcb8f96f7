/**
 * What a CloudTrail log file's S3 key says: the account and region of its records. The key is the
 * trust anchor of the log-file source (only CloudTrail can write `AWSLogs/` in a trail bucket whose
 * policy the README's security model requires), so it is parsed strictly: anything that is not a
 * log file — digests, Insights files, other objects — is named and skipped, never read.
 */
import { oneLine } from './envelope.ts';

export interface LogFileKey {
  /** The trail's S3 key prefix ('' when none). */
  prefix: string;
  /** The Organization ID of an organization trail's key. */
  organizationId?: string;
  /** The account the records are of (the path's, and the file name's). */
  account: string;
  region: string;
  /** YYYY/MM/DD of delivery. */
  day: string;
}

export type SkippedKind = 'digest' | 'insight' | 'notLogFile';

export type KeyOutcome = { logFile: LogFileKey } | { skipped: SkippedKind; reason: string };

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
// [prefix/]AWSLogs/[o-xxxxxxxxxx/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<time>_<unique>.json.gz
const LOG_FILE = new RegExp(
  `^(?:(.+)/)?AWSLogs/(?:(o-[a-z0-9]{10,32})/)?(\\d{12})/CloudTrail/(${REGION})/(\\d{4}/\\d{2}/\\d{2})/\\3_CloudTrail_\\4_[A-Za-z0-9_.-]+\\.json\\.gz$`,
);
const DIGEST = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]{10,32}\/)?\d{12}\/CloudTrail-Digest\//;
const INSIGHT = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]{10,32}\/)?\d{12}\/CloudTrail-Insight\//;

/** Classifies an object key (already URL-decoded). */
export function parseLogKey(key: string): KeyOutcome {
  const m = LOG_FILE.exec(key);
  if (m) {
    const [, prefix, organizationId, account, region, day] = m;
    return { logFile: { prefix: prefix ?? '', ...(organizationId ? { organizationId } : {}), account: account!, region: region!, day: day! } };
  }
  if (DIGEST.test(key)) return { skipped: 'digest', reason: `${oneLine(key, 300)}: a CloudTrail digest file, not a log file` };
  if (INSIGHT.test(key)) return { skipped: 'insight', reason: `${oneLine(key, 300)}: a CloudTrail Insights file, not a log file` };
  return { skipped: 'notLogFile', reason: `${oneLine(key, 300)}: not a CloudTrail log file key ([prefix/]AWSLogs/[o-id/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_….json.gz)` };
}
