import { execFileSync } from 'node:child_process';
import { ACMClient, DeleteCertificateCommand, ImportCertificateCommand, ListCertificatesCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pythonExecutable } from '../../../src/core/paths.ts';
import { requestShopCertificate } from '../../../src/local/estate/security-services.ts';
import { ACM_CERTIFICATE, makeAcmCertificateType } from '../../../src/resources/acm-certificate.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-1';
let ctx: ScanContext;
let acm: ACMClient;
let requested: string;
let imported: string;

/** A self-signed certificate and key (PEM) from the venv's `cryptography` (a moto dependency). */
function selfSigned(cn: string): { cert: string; key: string } {
  const script = `
import datetime, json
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ${JSON.stringify(cn)})])
now = datetime.datetime.now(datetime.timezone.utc)
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
  .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30))
  .add_extension(x509.SubjectAlternativeName([x509.DNSName(${JSON.stringify(cn)})]), critical=False)
  .sign(key, hashes.SHA256()))
print(json.dumps({"cert": cert.public_bytes(serialization.Encoding.PEM).decode(),
  "key": key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode()}))
`;
  return JSON.parse(execFileSync(pythonExecutable(), ['-c', script], { encoding: 'utf8' })) as { cert: string; key: string };
}

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  acm = ctx.clients.get(ACMClient);
  requested = await requestShopCertificate(ctx.clients);
  const pem = selfSigned('legacy.example.org');
  imported = (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(pem.cert), PrivateKey: Buffer.from(pem.key) }))).CertificateArn!;
});

describe('AWS.ACM.Certificate', () => {
  it('lists the region\'s certificates of every key algorithm, with resolvable refs', async () => {
    const asked: unknown[] = [];
    const spy = intercept(ctx, ACMClient, (cmd) => {
      if (cmd.constructor.name === 'ListCertificatesCommand') asked.push(cmd.input.Includes);
      return undefined;
    });
    const page = await ACM_CERTIFICATE.list(spy);
    expect(page.refs.map((r) => r.arn).sort()).toEqual([requested, imported].sort());
    expect(page.nextPageToken).toBeUndefined();
    expect(asked).toEqual([{ keyTypes: expect.arrayContaining(['RSA_2048', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1']) }]);
    for (const ref of page.refs) expect(ACM_CERTIFICATE.resourceId(ctx, ref)).toBe(ref.arn);
  });

  it('follows NextToken across pages', async () => {
    // moto ignores MaxItems: page its full answer.
    const sizes: unknown[] = [];
    const paged = intercept(ctx, ACMClient, (cmd, send) => {
      if (cmd.constructor.name !== 'ListCertificatesCommand') return undefined;
      sizes.push(cmd.input.MaxItems);
      return (async () => {
        const all = ((await send(new ListCertificatesCommand({}))) as { CertificateSummaryList: object[] }).CertificateSummaryList;
        const from = Number(cmd.input.NextToken ?? 0);
        const to = from + Number(cmd.input.MaxItems);
        return { CertificateSummaryList: all.slice(from, to), NextToken: to < all.length ? String(to) : undefined };
      })();
    });
    const type = makeAcmCertificateType({ pageSize: 1 });
    const { refs: seen } = await listAll(type, paged);
    expect(sizes).toEqual([1, 1]);
    expect(seen.map((r) => r.arn).sort()).toEqual([requested, imported].sort());
  });

  it('models a requested certificate with tags and options', async () => {
    const res = (await ACM_CERTIFICATE.describe(ctx, { arn: requested }))!;
    expect(typeKeys(res)).toEqual(ACM_CERTIFICATE.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: requested,
      ResourceType: 'AWS.ACM.Certificate',
      AccountId: account,
      Region: REGION,
      Arn: requested,
      Id: null,
      Name: 'shop.example.com',
      Tags: { team: 'web', env: 'prod' },
      CertificateArn: requested,
      DomainName: 'shop.example.com',
      Status: 'PENDING_VALIDATION',
      Type: 'AMAZON_ISSUED',
      Options: { CertificateTransparencyLoggingPreference: 'DISABLED', Export: 'DISABLED', ValidationMethod: null },
      ImportedAt: null,
      RevokedAt: null,
      RevocationReason: null,
      FailureReason: null,
      CertificateAuthorityArn: null,
      RenewalSummary: null,
      InUseBy: [],
    });
    expect((res.SubjectAlternativeNames as string[]).sort()).toEqual(['shop.example.com', 'www.shop.example.com']);
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.CreatedAt);
    expect(res.NotAfter).toMatch(RFC3339);
    const validation = res.DomainValidationOptions as Record<string, unknown>[];
    expect(validation).toHaveLength(2);
    // Every member present, null when unset (Panther policies index these keys directly).
    expect(validation.find((v) => v.DomainName === 'shop.example.com')).toEqual({
      DomainName: 'shop.example.com',
      ValidationDomain: 'shop.example.com',
      ValidationStatus: 'PENDING_VALIDATION',
      ValidationMethod: 'DNS',
      ResourceRecord: { Name: expect.any(String), Type: 'CNAME', Value: expect.any(String) },
      HttpRedirect: null,
      ValidationEmails: null,
    });
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models an imported certificate without tags', async () => {
    const res = (await ACM_CERTIFICATE.describe(ctx, { arn: imported }))!;
    expect(res).toMatchObject({ ResourceId: imported, Name: 'legacy.example.org', Tags: null, Type: 'IMPORTED', CreatedAt: null, DomainValidationOptions: null });
    expect(res.ImportedAt).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.ImportedAt);
  });

  it('returns null for a deleted certificate', async () => {
    const gone = (await acm.send(new RequestCertificateCommand({ DomainName: 'gone.example.com' }))).CertificateArn!;
    await acm.send(new DeleteCertificateCommand({ CertificateArn: gone }));
    expect(await ACM_CERTIFICATE.describe(ctx, { arn: gone })).toBeNull();
  });

  it('lets AccessDenied and throttling propagate', async () => {
    const denied = intercept(ctx, ACMClient, (cmd) =>
      cmd.constructor.name === 'ListTagsForCertificateCommand' ? Promise.reject(awsError('AccessDeniedException', 'not authorized')) : undefined,
    );
    await expect(ACM_CERTIFICATE.describe(denied, { arn: requested })).rejects.toThrow('not authorized');
    const throttled = intercept(ctx, ACMClient, (cmd) =>
      cmd.constructor.name === 'ListCertificatesCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined,
    );
    await expect(ACM_CERTIFICATE.list(throttled)).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const arn = 'arn:aws:acm:us-east-1:111122223333:certificate/1';
    const refs = (name: string, req: Record<string, unknown> | null, res: Record<string, unknown> | null = null) =>
      ACM_CERTIFICATE.events[name]!.refs!(trail('acm.amazonaws.com', name, req, res));
    expect(refs('RequestCertificate', { domainName: 'x.example.com', validationMethod: 'DNS' }, { certificateArn: arn })).toEqual([{ arn }]);
    expect(refs('ImportCertificate', { certificate: '...' }, { certificateArn: arn })).toEqual([{ arn }]);
    // Re-import names the ARN in both.
    expect(refs('ImportCertificate', { certificateArn: arn }, { certificateArn: arn })).toEqual([{ arn }]);
    expect(refs('AddTagsToCertificate', { certificateArn: arn, tags: [{ key: 'a', value: 'b' }] })).toEqual([{ arn }]);
    expect(refs('UpdateCertificateOptions', { certificateArn: arn, options: { certificateTransparencyLoggingPreference: 'ENABLED' } })).toEqual([{ arn }]);
    expect(ACM_CERTIFICATE.events.DeleteCertificate!.action).toBe('delete');
    expect(refs('DeleteCertificate', { certificateArn: arn })).toEqual([{ arn }]);
    expect(refs('RenewCertificate', null)).toEqual([]);
  });
});
