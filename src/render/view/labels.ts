import type { Review } from '../../model/review.js';

/** Names accounts the way a reader recognises them: "prod-payments (111122223333)". */
export class AccountNamer {
  readonly #names = new Map<string, string>();
  readonly #roles = new Map<string, string>();

  constructor(review: Review) {
    for (const a of review.accounts) {
      if (a.accountName !== undefined && a.accountName !== '') this.#names.set(a.accountId, a.accountName);
      for (const r of a.roles) this.#roles.set(r.arn, r.name);
    }
  }

  /** The role's name as IAM reported it, when the ARN is a role in this review. */
  roleName(arn: string): string | undefined {
    return this.#roles.get(arn);
  }

  name(accountId: string): string | undefined {
    return this.#names.get(accountId);
  }

  label(accountId: string): string {
    const name = this.#names.get(accountId);
    return name === undefined ? accountId : `${name} (${accountId})`;
  }
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/**
 * "arn:aws:iam::111122223333:role/ops/deploy" -> "deploy (prod)", "111122223333" -> "prod (111122223333)";
 * anything else as written.
 */
export function shortArn(arn: string, namer?: AccountNamer): string {
  // Account-level findings name the account itself as their resource.
  if (/^\d{12}$/.test(arn)) return namer?.label(arn) ?? arn;
  const m = ROLE_ARN.exec(arn);
  if (m === null) return arn;
  const [, account = '', parsed = ''] = m;
  // Prefer the recorded name: parsing alone would cut a (hostile or malformed) name containing "/".
  const name = namer?.roleName(arn) ?? parsed;
  return `${name} (${namer?.name(account) ?? account})`;
}

/** Grant ids are `${roleArn}#${statementIndex}#${principal}`: show "role ← principal" for change lists. */
export function describeGrantId(id: string, namer?: AccountNamer): string {
  const first = id.indexOf('#');
  const second = first < 0 ? -1 : id.indexOf('#', first + 1);
  if (first < 0 || second < 0) return id;
  const roleArn = id.slice(0, first);
  const principal = id.slice(second + 1);
  return `${shortArn(roleArn, namer)} ← ${principal}`;
}

/** Fragment id for in-document links; role ARNs are unique and their characters reduce to a safe set. */
export function anchorFor(arn: string): string {
  return `role-${arn.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}
