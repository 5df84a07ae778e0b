import type { Snapshot } from '../model/snapshot.js';

/**
 * The snapshot artifact's bytes: exactly `JSON.stringify(snapshot) + "\n"` in UTF-8, but encoded one
 * account at a time. Encoding it whole held the JSON string, its flattened copy with the newline and the
 * bytes at once — three copies of a document that is ~2 KB a role (190 MB at 100,000 roles) — on top of
 * the collected snapshot, at the moment the run starts analyzing it.
 */
export function encodeSnapshotJson(snapshot: Snapshot): Uint8Array {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let text = '{';
  const flush = (): void => {
    chunks.push(encoder.encode(text));
    text = '';
  };
  let first = true;
  for (const [key, value] of Object.entries(snapshot) as [string, unknown][]) {
    // JSON.stringify leaves out what it cannot represent as a member.
    const member = key === 'accounts' ? undefined : JSON.stringify(value);
    if (key !== 'accounts' && member === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (key !== 'accounts') {
      text += member;
      continue;
    }
    text += '[';
    snapshot.accounts.forEach((account, i) => {
      text += `${i > 0 ? ',' : ''}${JSON.stringify(account) ?? 'null'}`;
      flush();
    });
    text += ']';
  }
  text += '}\n';
  flush();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (let i = 0; i < chunks.length; i++) {
    out.set(chunks[i] as Uint8Array, at);
    at += (chunks[i] as Uint8Array).byteLength;
    // Each chunk can go as soon as it is copied.
    chunks[i] = EMPTY;
  }
  return out;
}

const EMPTY = new Uint8Array(0);
