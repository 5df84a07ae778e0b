/**
 * Role names, tags, descriptions and policy values are attacker-influenced. Control characters (NUL, BEL,
 * ESC) and Unicode bidirectional overrides (U+202E and friends) would pass through escaping untouched and
 * then make a report lie: text that reads backwards, a terminal escape in a spreadsheet. Outputs show them
 * as visible escapes ("\u202E") instead. Tab, line feed and carriage return are ordinary text.
 */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
