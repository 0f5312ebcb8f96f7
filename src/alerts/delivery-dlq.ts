/** The delivery DLQ (SQS): one message per alert and destination that could not be delivered. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryDeadLetter } from './dispatcher.ts';

export async function sendDeliveryDeadLetter(sqs: SQSClient, queueUrl: string, message: DeliveryDeadLetter): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(message),
      // Filterable without parsing the body (console, redrive tooling).
      MessageAttributes: {
        destinationId: { DataType: 'String', StringValue: message.destinationId },
        reason: { DataType: 'String', StringValue: message.reason.slice(0, 1000) },
        alertKey: { DataType: 'String', StringValue: message.alert.alertKey.slice(0, 1000) },
      },
    }),
  );
}
