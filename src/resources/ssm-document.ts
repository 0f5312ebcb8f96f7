/**
 * AWS.SSM.Document — regional, the account's own documents (ListDocuments with Owner=Self; AWS's
 * and other accounts' shared documents are not this account's configuration). Per document
 * DescribeDocument (tags included) and DescribeDocumentPermission (who it is shared with:
 * `AccountIds` holds "all" for a public document). The document content is not read.
 */
import {
  AccountSharingInfo$,
  DescribeDocumentCommand,
  DescribeDocumentPermissionCommand,
  DocumentDescription$,
  ListDocumentsCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { taggedId } from './ssm-common.ts';
import { distinct, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface DocumentRef {
  name: string;
}

export const SSM_DOCUMENT_TYPE = 'AWS.SSM.Document';

export const documentArn = (target: ScanTarget, name: string) => `arn:${target.partition}:ssm:${target.region}:${target.accountId}:document/${name}`;

/** Documents an event names: `name`, a tagged `resourceId` of type Document. */
export function documentRefsOf(d: CloudTrailDetail): DocumentRef[] {
  return distinct([req(d, 'name'), taggedId(d, 'Document')]).map((name) => ({ name }));
}

const rescan: EventRule<DocumentRef> = { action: 'rescan', refs: documentRefsOf };

export interface SsmDocumentOptions {
  /** ListDocuments MaxResults per page (1–50). */
  pageSize?: number;
}

export function makeSsmDocumentType(opts: SsmDocumentOptions = {}): ResourceType<DocumentRef> {
  const pageSize = opts.pageSize ?? 50;
  return {
    type: SSM_DOCUMENT_TYPE,
    service: 'ssm',
    scope: 'regional',
    eventSource: 'ssm.amazonaws.com',

    async list(ctx, pageToken) {
      const ssm = ctx.clients.get(SSMClient, ctx.region);
      const page = await ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Owner', Values: ['Self'] }], MaxResults: pageSize, NextToken: pageToken }));
      const refs = (page.DocumentIdentifiers ?? []).flatMap((d) => (d.Name ? [{ name: d.Name }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const ssm = ctx.clients.get(SSMClient, ctx.region);
      try {
        const [{ Document: doc }, sharing] = await Promise.all([
          ssm.send(new DescribeDocumentCommand({ Name: ref.name })),
          ssm.send(new DescribeDocumentPermissionCommand({ Name: ref.name, PermissionType: 'Share' })),
        ]);
        if (!doc?.Name) return null;
        const arn = documentArn(ctx, doc.Name);
        const accounts = sharing.AccountIds ?? [];
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: SSM_DOCUMENT_TYPE,
          TimeCreated: iso(doc.CreatedDate),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: doc.Name,
          Name: doc.Name,
          Tags: tagMap(doc.Tags),
          ...apiFields(shape(DocumentDescription$, doc), 'Name', 'Tags'),
          AccountIds: accounts.length > 0 ? [...accounts].sort() : null,
          AccountSharingInfoList: shapeList(AccountSharingInfo$, sharing.AccountSharingInfoList),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'InvalidDocument')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return documentArn(target, ref.name);
    },

    events: {
      CreateDocument: rescan,
      DeleteDocument: { action: 'delete', refs: documentRefsOf },
      UpdateDocument: rescan,
      UpdateDocumentDefaultVersion: rescan,
      UpdateDocumentMetadata: rescan,
      ModifyDocumentPermission: rescan,
      AddTagsToResource: rescan,
      RemoveTagsFromResource: rescan,
    },

    // SecurityAudit covers every call: ssm:ListDocuments, ssm:DescribeDocument,
    // ssm:DescribeDocumentPermission. ListDocuments per page; per document DescribeDocument and
    // DescribeDocumentPermission.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'Sha1', type: 'string | null', description: 'Deprecated SHA-1 hash of the document.' },
      { name: 'Hash', type: 'string', description: 'Hash of the document content.' },
      { name: 'HashType', type: 'string', description: 'Sha256 or Sha1.' },
      { name: 'DisplayName', type: 'string | null', description: 'Friendly name.' },
      { name: 'VersionName', type: 'string | null', description: 'The version name of the default version.' },
      { name: 'Owner', type: 'string', description: 'The owning account.' },
      { name: 'CreatedDate', type: 'timestamp', description: 'When the document was created (also TimeCreated).' },
      { name: 'Status', type: 'string', description: 'Creating, Active, Updating, Deleting or Failed.' },
      { name: 'StatusInformation', type: 'string | null', description: 'Why the status is Failed.' },
      { name: 'DocumentVersion', type: 'string', description: 'The described version.' },
      { name: 'Description', type: 'string | null', description: 'The document description.' },
      { name: 'Parameters', type: 'list<{Name, Type, Description, DefaultValue}> | null', description: 'The document\'s declared parameters (names and defaults written in the document, not run-time values).' },
      { name: 'PlatformTypes', type: 'list<string> | null', description: 'Windows, Linux, MacOS.' },
      { name: 'DocumentType', type: 'string', description: 'Command, Automation, Session, Policy, Package, ...' },
      { name: 'SchemaVersion', type: 'string', description: 'The document schema version.' },
      { name: 'LatestVersion', type: 'string', description: 'The latest version.' },
      { name: 'DefaultVersion', type: 'string', description: 'The default version.' },
      { name: 'DocumentFormat', type: 'string', description: 'JSON, YAML or TEXT.' },
      { name: 'TargetType', type: 'string | null', description: 'The resource types the document can run on, e.g. /AWS::EC2::Instance.' },
      { name: 'AttachmentsInformation', type: 'list<{Name}> | null', description: 'Attachments of the document.' },
      { name: 'Requires', type: 'list<{Name, Version, RequireType, VersionName}> | null', description: 'Documents this one requires.' },
      { name: 'Author', type: 'string | null', description: 'The author.' },
      { name: 'ReviewInformation', type: 'list<{ReviewedTime, Status, Reviewer}> | null', description: 'Change Manager review history.' },
      { name: 'ApprovedVersion', type: 'string | null', description: 'The approved version (Change Manager templates).' },
      { name: 'PendingReviewVersion', type: 'string | null', description: 'The version pending review.' },
      { name: 'ReviewStatus', type: 'string | null', description: 'APPROVED, NOT_REVIEWED, PENDING or REJECTED.' },
      { name: 'Category', type: 'list<string> | null', description: 'Categories of an Automation document.' },
      { name: 'CategoryEnum', type: 'list<string> | null', description: 'Category values of an Automation document.' },
      { name: 'CloudProviders', type: 'list<string> | null', description: 'DescribeDocument CloudProviders, when AWS reports them.' },
      { name: 'AccountIds', type: 'list<string> | null', description: 'DescribeDocumentPermission (Share): the accounts the document is shared with, sorted; "all" when it is public; null when not shared.' },
      { name: 'AccountSharingInfoList', type: 'list<{AccountId, SharedDocumentVersion}> | null', description: 'DescribeDocumentPermission: which version each account is shared; null when not shared.' },
    ],
  };
}

export const SSM_DOCUMENT: ResourceType<DocumentRef> = makeSsmDocumentType();
