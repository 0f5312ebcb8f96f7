/** The default destination: the alerts SNS topic (email, chat and ticketing subscribe to it). */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { alertSubject, type AlertPayload } from './alert-payload.ts';

/** SNS messages are limited to 256 KB: a huge resource JSON is cut to a note instead of failing delivery. */
const MAX_MESSAGE_BYTES = 250_000;

export async function publishAlert(sns: SNSClient, topicArn: string, payload: AlertPayload): Promise<void> {
  let message = JSON.stringify(payload);
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
    message = JSON.stringify({ ...payload, resource: null, resourceOmitted: 'resource JSON exceeds the SNS message limit; see posture resources get' });
  }
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: alertSubject(payload),
      Message: message,
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: payload.severity },
        kind: { DataType: 'String', StringValue: payload.kind },
        policyId: { DataType: 'String', StringValue: payload.policyId },
      },
    }),
  );
}
