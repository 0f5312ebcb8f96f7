/**
 * AWS.ACM.Certificate — regional. ListCertificates (every key algorithm: without `Includes` ACM
 * lists only RSA_1024/RSA_2048 certificates), then DescribeCertificate and
 * ListTagsForCertificate per certificate.
 */
import {
  ACMClient,
  CertificateDetail$,
  DescribeCertificateCommand,
  KeyAlgorithm,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
} from '@aws-sdk/client-acm';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface CertificateRef {
  arn: string;
}

export const ACM_CERTIFICATE_TYPE = 'AWS.ACM.Certificate';

/** The certificate an event names: request `certificateArn` (re-import, tags, options, renewal,
 *  delete) or response `certificateArn` (RequestCertificate, ImportCertificate). */
export function certificateArnsOf(d: CloudTrailDetail): CertificateRef[] {
  return distinct([req(d, 'certificateArn'), res(d, 'certificateArn')]).map((arn) => ({ arn }));
}

const rescan: EventRule<CertificateRef> = { action: 'rescan', refs: certificateArnsOf };

export interface AcmCertificateOptions {
  /** ListCertificates MaxItems per page (each certificate costs 2 describe calls). */
  pageSize?: number;
}

export function makeAcmCertificateType(opts: AcmCertificateOptions = {}): ResourceType<CertificateRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: ACM_CERTIFICATE_TYPE,
    asffType: 'AwsCertificateManagerCertificate',
    service: 'acm',
    scope: 'regional',
    eventSource: 'acm.amazonaws.com',

    async list(ctx, pageToken) {
      const acm = ctx.clients.get(ACMClient, ctx.region);
      const page = await acm.send(
        new ListCertificatesCommand({ MaxItems: pageSize, NextToken: pageToken, Includes: { keyTypes: Object.values(KeyAlgorithm) } }),
      );
      const refs = (page.CertificateSummaryList ?? []).flatMap((c) => (c.CertificateArn ? [{ arn: c.CertificateArn }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const acm = ctx.clients.get(ACMClient, ctx.region);
      const CertificateArn = ref.arn;
      try {
        const [described, tags] = await Promise.all([
          acm.send(new DescribeCertificateCommand({ CertificateArn })),
          acm.send(new ListTagsForCertificateCommand({ CertificateArn })),
        ]);
        const cert = described.Certificate;
        if (!cert) return null;
        const resource: Resource = {
          ResourceId: CertificateArn,
          ResourceType: ACM_CERTIFICATE_TYPE,
          // Requested certificates carry CreatedAt, imported ones ImportedAt.
          TimeCreated: iso(cert.CreatedAt ?? cert.ImportedAt),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: CertificateArn,
          Id: null,
          Name: cert.DomainName ?? null,
          Tags: tagMap(tags.Tags),
          ...apiFields(shape(CertificateDetail$, cert)),
        };
        return resource;
      } catch (e) {
        // Deleted after listing (or an event naming a certificate that is gone).
        if (hasErrorCode(e, 'ResourceNotFoundException')) return null;
        throw e;
      }
    },

    resourceId(_target, ref) {
      return ref.arn;
    },

    events: {
      RequestCertificate: rescan,
      ImportCertificate: rescan,
      DeleteCertificate: { action: 'delete', refs: certificateArnsOf },
      AddTagsToCertificate: rescan,
      RemoveTagsFromCertificate: rescan,
      UpdateCertificateOptions: rescan,
      RenewCertificate: rescan,
      RevokeCertificate: rescan,
    },

    // SecurityAudit covers every call: acm:List* (ListCertificates, ListTagsForCertificate),
    // acm:Describe* (DescribeCertificate).
    // ListCertificates per page; per certificate DescribeCertificate and ListTagsForCertificate.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'CertificateArn', type: 'string', description: 'The certificate ARN (also ResourceId and Arn).' },
      { name: 'DomainName', type: 'string', description: 'The primary domain name (also Name).' },
      { name: 'SubjectAlternativeNames', type: 'list<string> | null', description: 'Every name the certificate covers.' },
      { name: 'ManagedBy', type: 'string | null', description: 'The service that manages the certificate (e.g. "CLOUDFRONT"), if any.' },
      { name: 'DomainValidationOptions', type: 'list<DomainValidation> | null', description: 'Per domain {DomainName, ValidationDomain, ValidationStatus, ValidationMethod, ResourceRecord, HttpRedirect, ValidationEmails}; null for imported certificates.' },
      { name: 'Serial', type: 'string | null', description: 'The serial number.' },
      { name: 'Subject', type: 'string | null', description: 'The X.500 subject.' },
      { name: 'Issuer', type: 'string | null', description: 'The issuing CA.' },
      { name: 'CreatedAt', type: 'timestamp | null', description: 'When the certificate was requested (ACM-issued certificates).' },
      { name: 'IssuedAt', type: 'timestamp | null', description: 'When ACM issued it.' },
      { name: 'ImportedAt', type: 'timestamp | null', description: 'When it was imported (imported certificates).' },
      { name: 'Status', type: 'string', description: 'PENDING_VALIDATION, ISSUED, INACTIVE, EXPIRED, VALIDATION_TIMED_OUT, REVOKED or FAILED.' },
      { name: 'RevokedAt', type: 'timestamp | null', description: 'When it was revoked.' },
      { name: 'RevocationReason', type: 'string | null', description: 'Why it was revoked.' },
      { name: 'NotBefore', type: 'timestamp | null', description: 'Start of validity.' },
      { name: 'NotAfter', type: 'timestamp | null', description: 'End of validity (expiry).' },
      { name: 'KeyAlgorithm', type: 'string | null', description: 'The key algorithm, e.g. "RSA_2048", "EC_prime256v1".' },
      { name: 'SignatureAlgorithm', type: 'string | null', description: 'The signature algorithm, e.g. "SHA256WITHRSA".' },
      { name: 'InUseBy', type: 'list<string> | null', description: 'ARNs of the AWS resources that use the certificate (empty list when unused).' },
      { name: 'FailureReason', type: 'string | null', description: 'Why issuance failed.' },
      { name: 'Type', type: 'string | null', description: 'AMAZON_ISSUED, IMPORTED or PRIVATE.' },
      { name: 'RenewalSummary', type: 'RenewalSummary | null', description: 'Managed renewal {RenewalStatus, DomainValidationOptions, RenewalStatusReason, UpdatedAt}.' },
      { name: 'KeyUsages', type: 'list<{Name}> | null', description: 'X.509 key usages.' },
      { name: 'ExtendedKeyUsages', type: 'list<{Name, OID}> | null', description: 'X.509 extended key usages.' },
      { name: 'CertificateAuthorityArn', type: 'string | null', description: 'The private CA that issued a PRIVATE certificate.' },
      { name: 'RenewalEligibility', type: 'string | null', description: 'ELIGIBLE or INELIGIBLE for managed renewal.' },
      { name: 'Options', type: '{CertificateTransparencyLoggingPreference, Export} | null', description: 'Certificate options.' },
      { name: 'UpdateSummary', type: 'object | null', description: 'DescribeCertificate UpdateSummary, when ACM reports one.' },
      { name: 'CertificateKeyPairOrigin', type: 'string | null', description: 'DescribeCertificate CertificateKeyPairOrigin, when ACM reports one.' },
      { name: 'AcmeEndpointArn', type: 'string | null', description: 'The ACME endpoint that issued the certificate, if any.' },
      { name: 'AcmeAccountId', type: 'string | null', description: 'The ACME account of an ACME-issued certificate, if any.' },
    ],
  };
}

export const ACM_CERTIFICATE: ResourceType<CertificateRef> = makeAcmCertificateType();
