/**
 * A small seeded PRNG (mulberry32) and the helpers the generators need. Everything the emulator makes up —
 * ids, names, timestamps, fault decisions — comes from here, so one seed always yields the same bytes.
 */
export class Rng {
  private state: number;
  private readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    // Mix the seed once so that nearby seeds (1, 2, 3) start far apart.
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('Rng.weighted: empty list');
    return last[0];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = out[i] as T;
      out[i] = out[j] as T;
      out[j] = a;
    }
    return out;
  }

  /** Characters from an alphabet, e.g. the uppercase base32-ish set IAM ids use. */
  chars(alphabet: string, length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }

  digits(length: number): string {
    return this.chars('0123456789', length);
  }

  hex(length: number): string {
    return this.chars('0123456789abcdef', length);
  }

  /** A version-4-shaped UUID (the variant and version nibbles set as real ones are). */
  uuid(): string {
    const h = this.hex(32);
    const variant = '89ab'[this.int(0, 3)] ?? '8';
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Derives an independent generator, so adding draws in one area does not shift another. */
  fork(label: string): Rng {
    return new Rng((this.seed ^ hash32(label)) >>> 0);
  }
}

/** IAM unique ids: a four-letter prefix and 17 characters from this alphabet (e.g. AROA3XFRBF23EXAMPLE). */
export const IAM_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function iamUniqueId(rng: Rng, prefix: 'AROA' | 'AIDA' | 'ANPA' | 'AIPA' | 'AGPA'): string {
  return prefix + rng.chars(IAM_ID_ALPHABET, 17);
}

/** A 12-digit account id that does not start with 0, so it never loses a digit as a number. */
export function accountId(rng: Rng): string {
  return String(rng.int(1, 9)) + rng.digits(11);
}

/** A 32-bit FNV-1a hash, to derive stable values from names. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A unique id that depends only on (seed, key): any account can name another account's role or user by
 * its id without caring in which order the generator built them.
 */
export function stableIamId(seed: number, prefix: 'AROA' | 'AIDA' | 'ANPA' | 'AIPA' | 'AGPA', key: string): string {
  return iamUniqueId(new Rng(hash32(`${seed}:${prefix}:${key}`)), prefix);
}
