/**
 * Email delivery through SES v2: whether the PDF travels as an attachment or as a presigned link to the
 * archived copy, the link itself, and the raw send. The words of the message are the render stage's
 * (src/render/email.ts); the MIME assembly is mime.ts.
 */
import { GetAccountCommand, GetEmailIdentityCommand, NotFoundException, SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { EmailConfig } from '../config/config.js';
import type { Artifact } from '../model/artifact.js';
import { artifactSize } from './artifact-io.js';

export const PDF_NAME = 'report.pdf';
const MB = 1024 * 1024;
const HOUR_S = 3600;

export interface EmailPlanInput {
  pdf?: Artifact;
  config: Pick<EmailConfig, 'maxAttachmentMB' | 'linkExpiryHours'>;
  archive?: { bucket: string; prefix: string };
}

export type EmailPlan =
  | { mode: 'attach'; pdf: Artifact }
  /** An owner with nothing open gets a short note instead of the report (owners.allClear "send"). */
  | { mode: 'summary-only'; reason: 'all-clear' }
  | { mode: 'link'; bucket: string; key: string; bytes: number; expiresInSeconds: number }
  | { mode: 'summary-only'; reason: 'no-pdf' }
  | { mode: 'summary-only'; reason: 'too-large'; bytes: number; limitMB: number };

/** Pure: attach, link or summary only, from the PDF's size, the limit and whether an archive exists. */
export function planEmail(input: EmailPlanInput): EmailPlan {
  if (!input.pdf) return { mode: 'summary-only', reason: 'no-pdf' };
  const bytes = artifactSize(input.pdf);
  if (bytes <= input.config.maxAttachmentMB * MB) return { mode: 'attach', pdf: input.pdf };
  if (!input.archive) return { mode: 'summary-only', reason: 'too-large', bytes, limitMB: input.config.maxAttachmentMB };
  return {
    mode: 'link',
    bucket: input.archive.bucket,
    // The artifact's own name: report.pdf, or owners/<id>/report.pdf for an owner's report.
    key: `${input.archive.prefix}/${input.pdf.name}`,
    bytes,
    expiresInSeconds: input.config.linkExpiryHours * HOUR_S,
  };
}

/**
 * A presigned GET. SigV4 caps it at 7 days, and it stops working when the signing credentials expire:
 * signed with a role session (IRSA, an ECS task role) it lives at most as long as that session.
 */
export function presignGet(s3: S3Client, bucket: string, key: string, expiresInSeconds: number): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
}

export async function sendRawEmail(client: SESv2Client, email: EmailConfig, raw: Uint8Array, envelope: { to: string[]; cc: string[] } = email): Promise<string> {
  const out = await client.send(
    new SendEmailCommand({
      FromEmailAddress: email.from,
      Destination: { ToAddresses: envelope.to, ...(envelope.cc.length > 0 ? { CcAddresses: envelope.cc } : {}) },
      Content: { Raw: { Data: raw } },
      ...(email.configurationSetName ? { ConfigurationSetName: email.configurationSetName } : {}),
    }),
  );
  if (!out.MessageId) throw new Error('access-review: SES accepted the email but returned no MessageId.');
  return out.MessageId;
}

/**
 * Whether SES will let the sender send: the address itself, or else its domain, must be a verified
 * identity. Returns the identity that allows it, or undefined.
 */
export async function verifiedSesIdentity(client: SESv2Client, from: string): Promise<string | undefined> {
  for (const identity of [from, from.slice(from.lastIndexOf('@') + 1)]) {
    try {
      const out = await client.send(new GetEmailIdentityCommand({ EmailIdentity: identity }));
      if (out.VerifiedForSendingStatus) return identity;
    } catch (e) {
      if (!(e instanceof NotFoundException)) throw e;
    }
  }
  return undefined;
}

/** Whether the SES account may send at all, and whether it is still in the sandbox (verified recipients only). */
export async function sesAccountState(client: SESv2Client): Promise<{ sendingEnabled: boolean; sandbox: boolean }> {
  const out = await client.send(new GetAccountCommand({}));
  return { sendingEnabled: out.SendingEnabled !== false, sandbox: out.ProductionAccessEnabled !== true };
}
