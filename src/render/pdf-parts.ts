/**
 * Splits the report into documents small enough to print one at a time, so Chromium's memory follows the
 * largest part instead of the whole report (one page laying out 2,000 role cards peaked near 3 GB). The
 * front matter is one part, the accounts are packed into parts of about `cardsPerPart` role cards (a large
 * account is sliced; its first slice carries the heading and at-a-glance table), and the back matter is the
 * last part. Pure: views in, views and HTML strings out; pdf-join.ts puts the printed parts back together.
 */
import type { AccountView, PrintPartView, ReportView, RoleView } from './view/types.js';

/**
 * Weight of a printed part by default, in role cards (a card's weight grows with its grants, see
 * cardWeight): measured, 20-45 pages a part, and Chromium's memory stays that of a small document.
 */
export const DEFAULT_CARDS_PER_PART = 80;

// A card costs up to a page; a row of the at-a-glance table about a fortieth of one; each trust grant a
// fifth of a card more.
const cardWeight = (role: RoleView): number => 1 + role.grants.length / 5;
const headWeight = (account: AccountView): number => 1 + account.roles.length / 40;

export function printParts(view: ReportView, cardsPerPart: number = DEFAULT_CARDS_PER_PART): PrintPartView[] {
  const budget = Math.max(1, cardsPerPart);
  const parts: PrintPartView[] = [{ front: true, back: false, accounts: [] }];
  let current: AccountView[] = [];
  let weight = 0;
  const flush = (): void => {
    if (current.length > 0) parts.push({ front: false, back: false, accounts: current });
    current = [];
    weight = 0;
  };
  for (const account of view.accounts) {
    const cards = account.roles.filter((r) => r.detailed);
    const whole = headWeight(account) + cards.reduce((n, r) => n + cardWeight(r), 0);
    if (weight > 0 && weight + whole > budget) flush();
    // The first slice: heading, facts, findings, the table of every role, and as many cards as fit.
    let taken = 0;
    let sliceWeight = headWeight(account);
    while (taken < cards.length && (taken === 0 || weight + sliceWeight + cardWeight(cards[taken] as RoleView) <= budget)) {
      sliceWeight += cardWeight(cards[taken] as RoleView);
      taken += 1;
    }
    current.push({ ...account, printCards: cards.slice(0, taken) });
    weight += sliceWeight;
    // Further slices: only cards, each part as full as the budget allows.
    while (taken < cards.length) {
      flush();
      const slice: RoleView[] = [];
      let w = 0;
      while (taken < cards.length && (slice.length === 0 || w + cardWeight(cards[taken] as RoleView) <= budget)) {
        const card = cards[taken] as RoleView;
        slice.push(card);
        w += cardWeight(card);
        taken += 1;
      }
      current.push({ ...account, printContinued: true, printCards: slice });
      weight = w;
    }
  }
  flush();
  parts.push({ front: false, back: true, accounts: [] });
  return parts;
}

/** Where a link to another part points while that part is printed; pdf-join.ts turns it into a page link. */
export const CROSS_PART_PREFIX = 'https://access-review.invalid/part-link#';

const ID = /\sid="([^"]+)"/g;
const HREF = /\shref="#([^"]+)"/g;

/** Which part holds which ids, and every id some part links to: what linkPart needs, without the HTML. */
export interface PartLinks {
  ids: Set<string>[];
  targets: Set<string>;
}

export function partLinks(htmls: Iterable<string>): PartLinks {
  const links: PartLinks = { ids: [], targets: new Set() };
  for (const html of htmls) addPartLinks(links, html);
  return links;
}

/** Adds one part (the next) to the index, so parts can be indexed one at a time and not held. */
export function addPartLinks(links: PartLinks, html: string): void {
  links.ids.push(new Set([...html.matchAll(ID)].map((m) => own(m[1] as string))));
  for (const m of html.matchAll(HREF)) links.targets.add(own(m[1] as string));
}

// A regex match is a slice that keeps the whole string it came from alive; the index keeps copies, so a
// part's HTML can be freed once it is indexed.
const own = (slice: string): string => Buffer.from(slice, 'utf8').toString('utf8');

/**
 * Makes each part's links survive printing apart. Chromium writes a link annotation only when its target
 * is in the same document, and a named destination only for targets some link in that document points
 * at. So a link to another part becomes a URL that pdf-join.ts resolves, and every target that any part
 * links to gets a hidden link in its own part, which makes Chromium record its page.
 */
export function linkParts(htmls: readonly string[]): string[] {
  const links = partLinks(htmls);
  return htmls.map((html, i) => linkPart(html, i, links));
}

/** linkParts for part `index` alone, from the index of every part's links. */
export function linkPart(html: string, index: number, links: PartLinks): string {
  const ids = links.ids[index] ?? new Set<string>();
  const rewritten = html.replace(HREF, (whole, target: string) => (ids.has(target) ? whole : ` href="${CROSS_PART_PREFIX}${target}"`));
  const wanted = [...ids].filter((id) => links.targets.has(id));
  if (wanted.length === 0) return rewritten;
  const anchors = `<div hidden>${wanted.map((id) => `<a href="#${id}"></a>`).join('')}</div>`;
  const end = rewritten.lastIndexOf('</body>');
  return end < 0 ? rewritten + anchors : rewritten.slice(0, end) + anchors + rewritten.slice(end);
}
