import type { VendorAccount } from '../model/settings.js';
import { readPackageJson } from '../package-root.js';

/** The shipped catalogue of third-party vendor accounts (data/vendors.json) plus the config's own. */
export function loadVendors(extra: VendorAccount[]): VendorAccount[] {
  const raw = readPackageJson('data/vendors.json');
  const list = (Array.isArray(raw) ? raw : (raw as { vendors?: unknown }).vendors) as VendorAccount[] | undefined;
  if (!Array.isArray(list)) throw new Error('data/vendors.json: expected an array of {accountId, name, source}');
  // Config entries win: a team may know a vendor under a more precise name.
  const byId = new Map(list.map((v) => [v.accountId, v]));
  for (const v of extra) byId.set(v.accountId, v);
  return [...byId.values()].sort((a, b) => a.accountId.localeCompare(b.accountId));
}
