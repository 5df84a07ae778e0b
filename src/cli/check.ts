/**
 * `access-review check`: the preflight a platform team runs after deploying and before the first
 * scheduled run. AWS reads in every account and region (collect/preflight.ts), the mail route, and the
 * PDF printer; nothing is written and no email is sent.
 */
import type { Config } from '../config/config.js';
import { preflightAws, type CheckItem } from '../collect/preflight.js';
import type { ClientFactory } from '../collect/clients.js';
import { describeError } from '../collect/errors.js';
import { sesAccountState, verifiedSesIdentity } from '../deliver/email.js';
import { verifySmtp } from '../deliver/smtp.js';
import { renderPdf, resolveChromiumPath } from '../render/pdf.js';
import { judgeArchiveProtection, principalOfCaller, readArchiveProtection, type ArchiveCaller } from '../deliver/archive-protection.js';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { checkOwners } from './check-owners.js';

/** How the archive bucket is protected (read-only): who the job runs as decides what the bucket policy means for it. */
export async function checkArchiveProtection(config: Config, clients: ClientFactory): Promise<CheckItem[]> {
  const bucket = config.archive.bucket;
  if (!bucket) return [];
  let caller: ArchiveCaller;
  try {
    const id = await clients.sts().send(new GetCallerIdentityCommand({}));
    if (!id.Arn || !id.Account) throw new Error('GetCallerIdentity returned no ARN');
    caller = { principalArn: principalOfCaller(id.Arn), accountId: id.Account };
  } catch (e) {
    return [{ check: 'archive-protection', status: 'fail', detail: `Not read: ${describeError(e, 'sts:GetCallerIdentity').detail}` }];
  }
  try {
    // Optional: with the organization id a perimeter on aws:PrincipalOrgID can be weighed for the job itself.
    const org = await clients.organizations().send(new DescribeOrganizationCommand({}));
    if (org.Organization?.Id) caller.organizationId = org.Organization.Id;
  } catch {
    // Not in an organization, or not allowed to say: the perimeter is then judged for outsiders only.
  }
  const reads = await readArchiveProtection(clients.s3(), bucket);
  return judgeArchiveProtection(reads, { ...config.archive, bucket }, caller);
}
import { GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { productArn } from '../deliver/security-hub.js';

async function checkEmail(config: Config, clients: ClientFactory, env: NodeJS.ProcessEnv): Promise<CheckItem> {
  const email = config.email;
  if (!email) return { check: 'email', status: 'skip', detail: 'No email configured: reports are archived and written locally only.' };
  const recipients = `${email.to.length + email.cc.length} recipient(s)`;
  if (email.transport === 'smtp' && email.smtp) {
    const smtp = email.smtp;
    try {
      const password = env.ACCESS_REVIEW_SMTP_PASSWORD;
      await verifySmtp({ ...smtp, ...(password ? { password } : {}) });
      return { check: 'email', status: 'ok', detail: `SMTP relay ${smtp.host}:${smtp.port} accepts the connection${smtp.username ? ' and the login' : ''}; ${recipients}.` };
    } catch (e) {
      return { check: 'email', status: 'fail', detail: `SMTP relay ${smtp.host}:${smtp.port}: ${(e as Error).message}` };
    }
  }
  const region = email.region ?? clients.region;
  const ses = clients.ses(region);
  try {
    const identity = await verifiedSesIdentity(ses, email.from);
    if (!identity) {
      return { check: 'email', status: 'fail', region, detail: `SES in ${region} has no verified identity for ${email.from} or its domain: verify one, or the report will not be sent.` };
    }
    const account = await sesAccountState(ses);
    if (!account.sendingEnabled) return { check: 'email', status: 'fail', region, detail: `SES sending is paused for this account in ${region}.` };
    if (account.sandbox) {
      // A new SES account delivers only to verified identities: the usual first-deployment surprise.
      const unverified: string[] = [];
      for (const r of [...email.to, ...email.cc]) if (!(await verifiedSesIdentity(ses, r))) unverified.push(r);
      if (unverified.length > 0) {
        return {
          check: 'email',
          status: 'fail',
          region,
          detail: `SES in ${region} is in the sandbox and these recipients are not verified identities: ${unverified.join(', ')}. Request production access or verify them.`,
        };
      }
    }
    return { check: 'email', status: 'ok', region, detail: `SES may send as ${email.from} (verified identity ${identity})${account.sandbox ? ' from the sandbox' : ''}; ${recipients}.` };
  } catch (e) {
    return { check: 'email', status: 'fail', region, detail: describeError(e, 'ses:GetEmailIdentity/GetAccount').detail };
  }
}

/**
 * Security Hub: one GetFindings for this product's findings (read-only). It proves Security Hub is enabled
 * in the region and the role may read; BatchImportFindings itself cannot be tried without writing.
 */
async function checkSecurityHub(config: Config, clients: ClientFactory): Promise<CheckItem[]> {
  if (!config.securityHub?.enabled) return [];
  const region = config.securityHub.region ?? config.aws.region;
  try {
    const account = config.securityHub.account ?? (await clients.sts().send(new GetCallerIdentityCommand({}))).Account ?? '';
    const arn = productArn({ region, account });
    await clients.securityHub(region).send(new GetFindingsCommand({ Filters: { ProductArn: [{ Value: arn, Comparison: 'EQUALS' }] }, MaxResults: 1 }));
    return [{ check: 'security-hub', status: 'ok', region, detail: `Security Hub answers in ${region} for account ${account}; findings will be imported as ${arn}.` }];
  } catch (e) {
    return [{ check: 'security-hub', status: 'fail', region, detail: describeError(e, 'securityhub:GetFindings').detail }];
  }
}

async function checkPdf(config: Config): Promise<CheckItem> {
  if (!config.output.formats.includes('pdf')) return { check: 'pdf', status: 'skip', detail: 'PDF not among output.formats.' };
  const path = resolveChromiumPath(config.chromiumPath);
  try {
    const pdf = await renderPdf('<!DOCTYPE html><p>access-review preflight</p>', { executablePath: path, accessible: false });
    return { check: 'pdf', status: 'ok', detail: `Chromium at ${path} printed a test page (${pdf.byteLength} bytes).` };
  } catch (e) {
    return { check: 'pdf', status: 'fail', detail: (e as Error).message };
  }
}

export async function runChecks(config: Config, clients: ClientFactory, env: NodeJS.ProcessEnv = process.env): Promise<CheckItem[]> {
  const [aws, archive, email, owners, securityHub, pdf] = await Promise.all([
    preflightAws(config, clients),
    checkArchiveProtection(config, clients),
    checkEmail(config, clients, env),
    checkOwners(config, clients),
    checkSecurityHub(config, clients),
    checkPdf(config),
  ]);
  return [...aws, ...archive, email, ...owners, ...securityHub, pdf];
}

const MARK: Record<CheckItem['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

/** One line per check, failures first so they are not lost in a large organization's list. */
export function formatChecks(items: readonly CheckItem[]): string {
  const order: Record<CheckItem['status'], number> = { fail: 0, warn: 1, ok: 2, skip: 3 };
  const sorted = [...items].sort((a, b) => order[a.status] - order[b.status]);
  const lines = sorted.map((i) => {
    const where = [i.account, i.region].filter(Boolean).join(' ');
    return `${MARK[i.status]}  ${i.check.padEnd(15)} ${where ? `${where.padEnd(25)} ` : ''}${i.detail}`;
  });
  const count = (s: CheckItem['status']) => items.filter((i) => i.status === s).length;
  lines.push(`${count('fail')} failed, ${count('warn')} warning(s), ${count('ok')} ok, ${count('skip')} skipped.`);
  return `${lines.join('\n')}\n`;
}
