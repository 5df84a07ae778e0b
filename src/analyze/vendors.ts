/**
 * Known third-party vendor accounts. The shipped list (data/vendors.json) is read outside the core and
 * handed in with the config's extra vendors; here it only becomes a lookup.
 */
import type { VendorAccount } from '../model/settings.js';
import { isAccountId } from './policy/arn.js';
import { isRecord } from './policy/document.js';

export type VendorIndex = ReadonlyMap<string, VendorAccount>;

/** Later entries win, so config vendors (passed after the shipped list) can correct a name or source. */
export function vendorIndex(list: readonly VendorAccount[]): VendorIndex {
  const index = new Map<string, VendorAccount>();
  for (const vendor of list) {
    if (isAccountId(vendor.accountId)) index.set(vendor.accountId, vendor);
  }
  return index;
}

export type VendorListResult = { ok: true; vendors: VendorAccount[] } | { ok: false; error: string };

/**
 * Validates the shipped vendors file: either a bare array of {accountId, name, source} or an object with
 * such an array under "vendors". Pure, so the CLI reads the file and calls this.
 */
export function parseVendorList(value: unknown): VendorListResult {
  const list = Array.isArray(value) ? value : isRecord(value) ? value['vendors'] : undefined;
  if (!Array.isArray(list)) return { ok: false, error: 'expected an array of vendors or an object with "vendors"' };
  const vendors: VendorAccount[] = [];
  for (const [i, item] of list.entries()) {
    if (!isRecord(item)) return { ok: false, error: `vendor ${i + 1} is not an object` };
    const { accountId, name, source } = item;
    if (typeof accountId !== 'string' || !isAccountId(accountId)) {
      return { ok: false, error: `vendor ${i + 1} has no 12-digit accountId` };
    }
    if (typeof name !== 'string' || name.trim() === '') return { ok: false, error: `vendor ${accountId} has no name` };
    if (typeof source !== 'string' || !/^https?:\/\//.test(source)) {
      return { ok: false, error: `vendor ${accountId} (${name}) has no source URL` };
    }
    vendors.push({ accountId, name, source });
  }
  return { ok: true, vendors };
}
