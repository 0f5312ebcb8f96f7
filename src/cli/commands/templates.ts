/** `posture templates`: prints the member template (CloudFormation or Terraform) with the parameters filled in. */
import type { Command } from 'commander';
import { z } from 'zod';
import { accountSchema, AUDIT_ROLE_NAME_PATTERN, DEFAULT_AUDIT_ROLE_NAME } from '#accounts/account.ts';
import { renderCloudFormation, renderTerraform, TERRAFORM_FILES } from '#onboarding/member-template.ts';
import { CENTRAL_BUS_NAME } from '#events/envelope.ts';

const optionsSchema = z.object({
  securityAccount: z.string({ error: 'is required' }).regex(/^\d{12}$/, 'must be a 12-digit AWS account ID'),
  externalId: accountSchema.shape.externalId,
  eventBusArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[\w.\-/]+$/, 'must be an event bus ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)')
    .optional(),
  roleName: z
    .string()
    .regex(AUDIT_ROLE_NAME_PATTERN, 'must be an IAM role name (up to 64 letters, digits and _+=,.@-, no path)')
    .default(DEFAULT_AUDIT_ROLE_NAME),
  format: z.enum(['cloudformation', 'terraform'], { error: 'must be cloudformation or terraform' }).default('cloudformation'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name like eu-west-1').optional(),
});

export type TemplatesOptions = z.input<typeof optionsSchema>;

const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The template text; throws a one-line error naming the option. */
export function memberTemplateText(input: TemplatesOptions): string {
  const r = optionsSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${flag(String(issue.path[0] ?? 'options'))}: ${issue.message}`);
  }
  const o = r.data;
  const region = o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const filled = {
    securityAccountId: o.securityAccount,
    externalId: o.externalId,
    eventBusArn: o.eventBusArn ?? `arn:aws:events:${region}:${o.securityAccount}:event-bus/${CENTRAL_BUS_NAME}`,
    auditRoleName: o.roleName,
  };
  if (o.format === 'cloudformation') return renderCloudFormation(filled);
  const tf = renderTerraform(filled);
  return TERRAFORM_FILES.map((f) => `# ---- ${f}\n${tf[f]}`).join('\n');
}

export function registerTemplates(program: Command): void {
  program
    .command('templates')
    .description('print the member-account template (audit role + event rules) with the parameters filled in, ready to deploy')
    .requiredOption('--security-account <id>', 'the 12-digit ID of the account Posture is deployed in')
    .requiredOption('--external-id <id>', 'the ExternalId of the member account (printed by posture accounts add)')
    .option('--event-bus-arn <arn>', `the central event bus (stack output CentralEventBusArn; default: ${CENTRAL_BUS_NAME} in --region of the security account)`)
    .option(
      '--role-name <name>',
      `the audit role's name: the stack's AuditRoleName output (-c auditRoleName), or the account's own (accounts add --role-name) (default: ${DEFAULT_AUDIT_ROLE_NAME})`,
    )
    .option('--region <region>', 'region of the central event bus when --event-bus-arn is not given (default: AWS_REGION or us-east-1)')
    .option('--format <format>', 'cloudformation (one template; StackSet: templates/cloudformation/member-stackset.yml) or terraform (one .tf file)', 'cloudformation')
    .action((opts: TemplatesOptions) => {
      try {
        process.stdout.write(memberTemplateText(opts));
      } catch (err) {
        console.error(`posture templates: ${(err as Error).message}`);
        process.exitCode = 2;
      }
    });
}
