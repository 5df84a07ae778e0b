/**
 * The leakage check (issue 10, item 5), data-driven: from any organization-wide review with ownership and
 * one owner, the words that owner's report must not contain. Works on the hand-made fixture and on the
 * demo's resolved ownership alike.
 */
import type { OwnerSummary } from '../../src/model/ownership.js';
import type { Review } from '../../src/model/review.js';

export interface Term {
  term: string;
  what: string;
}

/**
 * Account ids an in-scope grant, caller or reach path legitimately names: where the owner's roles cross
 * into another account, that account's id (and nothing more) may show.
 */
function crossedAccounts(scoped: Review): Set<string> {
  const ids = new Set<string>();
  const accountOf = (s: string): string | undefined => /(?:^|::)(\d{12})(?::|$)/.exec(s)?.[1];
  for (const role of scoped.accounts.flatMap((a) => a.roles)) {
    for (const g of role.trustGrants) if (g.principal.accountId) ids.add(g.principal.accountId);
    for (const c of role.usage.callers) {
      if (c.accountId) ids.add(c.accountId);
      const id = accountOf(c.id);
      if (id) ids.add(id);
    }
  }
  for (const p of scoped.reach) for (const hop of [p.from, p.to, ...p.hops]) {
    const id = accountOf(hop);
    if (id) ids.add(id);
  }
  return ids;
}

export function outOfScopeTerms(review: Review, owner: Pick<OwnerSummary, 'accountIds' | 'roleArns'>, scoped: Review): Term[] {
  const accounts = new Set(owner.accountIds);
  const roles = new Set(owner.roleArns);
  const inScopeNames = new Set(review.accounts.flatMap((a) => a.roles.filter((r) => roles.has(r.arn)).map((r) => r.name)));
  const inScopeAccountNames = new Set(review.accounts.filter((a) => accounts.has(a.accountId)).map((a) => a.accountName));
  const crossed = crossedAccounts(scoped);
  const terms: Term[] = [];
  for (const a of review.accounts) {
    if (accounts.has(a.accountId)) continue;
    if (!crossed.has(a.accountId)) terms.push({ term: a.accountId, what: `account id ${a.accountId}` });
    if (a.accountName && !inScopeAccountNames.has(a.accountName)) terms.push({ term: a.accountName, what: `account name of ${a.accountId}` });
  }
  for (const r of review.accounts.flatMap((a) => a.roles)) {
    if (roles.has(r.arn)) continue;
    terms.push({ term: r.arn, what: `role ARN ${r.arn}` });
    // Short or shared names (AWSServiceRoleFor…, OrganizationAccountAccessRole in every account) prove nothing.
    if (r.name.length >= 5 && !inScopeNames.has(r.name)) terms.push({ term: r.name, what: `role name of ${r.arn}` });
  }
  return terms;
}

/**
 * Every term found in the text as a whole word (an account named "shared-services" is not leaked by an
 * in-scope role named "shared-services-deploy"), with a little context for the failure message.
 */
export function leaks(text: string, terms: readonly Term[]): string[] {
  const found: string[] = [];
  for (const t of terms) {
    const word = new RegExp(`(?<![A-Za-z0-9_-])${t.term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`);
    const at = word.exec(text)?.index;
    if (at !== undefined) found.push(`${t.what}: …${text.slice(Math.max(0, at - 60), at + t.term.length + 40).replace(/\s+/g, ' ')}…`);
  }
  return found;
}

/** Every artifact of one owner's report folder (and their email, when they got one), as text to search. */
export async function ownerArtifactTexts(folder: string, email?: string): Promise<[string, string][]> {
  const { readFile, readdir } = await import('node:fs/promises');
  const { execFileSync } = await import('node:child_process');
  const path = await import('node:path');
  const texts: [string, string][] = [];
  for (const name of (await readdir(folder)).sort()) {
    const file = path.join(folder, name);
    texts.push(name.endsWith('.pdf') ? [`${name} (text)`, execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })] : [name, await readFile(file, 'utf8')]);
  }
  if (email !== undefined) texts.push(['email', email]);
  return texts;
}
