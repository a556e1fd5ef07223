/**
 * Neighbouring versions: the version just after or just before a given one, written in the same
 * style (width of zero-padded numbers and letter case kept). Wildcard ranges use them for their
 * exclusive ends (`12.2.x` ends before `12.3`); the CSAF evaluation uses them to make devices just
 * inside and just outside a published range (`<= 2.3.6` → `2.3.7`, `< B.06.18` → `B.06.17`).
 */

const LAST_TOKEN = /(\d+|[A-Za-z]+)(?=[^0-9A-Za-z]*$)/;

/** A number written with at least `width` digits: `pad(40, 6)` → `000040`. */
function pad(value: bigint, width: number): string {
  return value.toString().padStart(width, '0');
}

/** The letter run after `letters` in alphabetical order (`a` → `b`, `K` → `L`, `z` → `za`). */
function nextLetters(letters: string): string {
  const last = letters.charCodeAt(letters.length - 1);
  const isZ = last === 0x7a || last === 0x5a;
  if (isZ) return `${letters}${letters === letters.toUpperCase() ? 'A' : 'a'}`;
  return `${letters.slice(0, -1)}${String.fromCharCode(last + 1)}`;
}

/**
 * The version just after `raw`: its last token stepped up (`2.3.6` → `2.3.7`, `L81` → `L82`,
 * `012U000061` → `012U000062`, `2.4A` → `2.4B`, `K` → `L`). Null when `raw` has no token.
 */
export function nextVersion(raw: string): string | null {
  const match = LAST_TOKEN.exec(raw);
  const token = match?.[1];
  if (!match || token === undefined) return null;
  const stepped = /^\d/.test(token) ? pad(BigInt(token) + 1n, token.length) : nextLetters(token);
  return `${raw.slice(0, match.index)}${stepped}${raw.slice(match.index + token.length)}`;
}

/**
 * A version just before `raw`: the last non-zero number stepped down and everything after it
 * dropped (`B.06.18` → `B.06.17`, `3.0` → `2`, `2.4.0` → `2.3`, `012U000040` → `012U000039`);
 * with no non-zero number, the last letter stepped down (`M` → `L`). Null when nothing can step
 * down (`0`, `A`).
 */
export function previousVersion(raw: string): string | null {
  const numbers = [...raw.matchAll(/\d+/g)].filter((m) => BigInt(m[0]) > 0n);
  const last = numbers[numbers.length - 1];
  if (last && last.index !== undefined) {
    return `${raw.slice(0, last.index)}${pad(BigInt(last[0]) - 1n, last[0].length)}`;
  }
  const letters = [...raw.matchAll(/[A-Za-z]+/g)];
  const word = letters[letters.length - 1];
  if (!word || word.index === undefined) return null;
  const code = word[0].charCodeAt(word[0].length - 1);
  if (code === 0x61 || code === 0x41) return null;
  return `${raw.slice(0, word.index)}${word[0].slice(0, -1)}${String.fromCharCode(code - 1)}`;
}
