/** Running the deployed DailyScan state machine the way its schedule does, and reading its outcome. */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { resourcesOfType, type DeployedStack } from './deploy.ts';

export interface Execution {
  arn: string;
  status: string;
  description: DescribeExecutionCommandOutput;
  history: HistoryEvent[];
  output: Record<string, unknown> | undefined;
}

/** The input the schedule hands the state machine (the template's Schedule target Input). */
export function scheduleInput(deployed: DeployedStack): string {
  const [id] = resourcesOfType(deployed.template, 'AWS::Scheduler::Schedule');
  if (!id) throw new Error('no AWS::Scheduler::Schedule in the template');
  const target = (deployed.template.Resources[id]!.Properties as { Target: { Input?: string; Arn: { Ref: string } } }).Target;
  if (deployed.physical[target.Arn.Ref] !== deployed.outputs.DailyScanStateMachineArn) throw new Error('the schedule does not target the DailyScan state machine');
  return target.Input ?? '{}';
}

/** Starts the state machine with the schedule's input (or `input`, e.g. an onboarding's accountIds) and waits for its end. */
export async function runScan(clients: AwsClients, deployed: DeployedStack, input?: Record<string, unknown>, timeoutMs = 180_000): Promise<Execution> {
  const sfn = clients.get(SFNClient);
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: deployed.outputs.DailyScanStateMachineArn, input: input ? JSON.stringify(input) : scheduleInput(deployed) }));
  const deadline = Date.now() + timeoutMs;
  let description: DescribeExecutionCommandOutput;
  for (;;) {
    description = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (description.status !== 'RUNNING') break;
    if (Date.now() > deadline) throw new Error(`execution ${executionArn} still RUNNING after ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const history: HistoryEvent[] = [];
  let token: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken: token }));
    history.push(...(page.events ?? []));
    token = page.nextToken;
  } while (token);
  return {
    arn: executionArn!,
    status: description.status!,
    description,
    history,
    output: description.output ? (JSON.parse(description.output) as Record<string, unknown>) : undefined,
  };
}

/** Why an execution failed, for assertion messages. */
export const failureOf = (e: Execution): string => `${e.status}: ${e.description.error ?? ''} ${e.description.cause ?? ''}`;
