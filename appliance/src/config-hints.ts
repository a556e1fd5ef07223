/**
 * Hints for a field the schema does not take: the known field it is probably a misspelling of
 * (`flushIntervalMS` → `flushIntervalMs`, `healthIntervalSec` → `healthIntervalS`), or, in a section that comes in several forms (a live
 * capture or a capture file), the form it belongs to.
 */
import type { TSchema } from '@sinclair/typebox';

/** True when one edit (a character changed, added or removed) turns `a` into `b`. */
export function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  const tail = (x: string, skip: number) => x.slice(i + skip);
  return tail(a, 1) === tail(b, 1) || tail(a, 1) === tail(b, 0) || tail(a, 0) === tail(b, 1);
}

const forms = (schema: TSchema): TSchema[] => (schema.anyOf as TSchema[] | undefined) ?? [schema];
const propertiesOf = (schema: TSchema): Record<string, TSchema> => (schema.properties as Record<string, TSchema> | undefined) ?? {};
const requiredOf = (schema: TSchema): string[] => (schema.required as string[] | undefined) ?? [];
const quoted = (names: string[]) => names.map((n) => `'${n}'`).join(' or ');

/** The object schemas (one per form) that a value at `path` must match. */
function schemasAt(root: TSchema, path: readonly string[]): TSchema[] {
  let schemas = forms(root);
  for (const segment of path) {
    schemas = schemas.flatMap((s) => {
      const child = propertiesOf(s)[segment];
      return child ? forms(child) : [];
    });
  }
  return schemas;
}

/** Text to put after "is not a known field" for `key` at `path`, or `''`. */
export function unknownFieldHint(root: TSchema, path: readonly string[], key: string): string {
  const schemas = schemasAt(root, path);
  const owners = schemas.filter((s) => key in propertiesOf(s));
  if (owners.length > 0 && owners.length < schemas.length) {
    // Taken by another form of this section: say which forms there are.
    const markers = schemas.flatMap((s) => requiredOf(s).slice(0, 1));
    if (owners.some((s) => requiredOf(s).includes(key))) return ` (give one of ${quoted(markers)}, not both)`;
    return ` (it goes with ${quoted(owners.flatMap((s) => requiredOf(s).slice(0, 1)))}, not here)`;
  }
  const known = [...new Set(schemas.flatMap((s) => Object.keys(propertiesOf(s))))];
  const lower = key.toLowerCase();
  const near =
    known.find((k) => k.toLowerCase() === lower) ??
    known.find((k) => oneEditApart(k, key)) ??
    // A unit spelled out or cut short: `healthIntervalSec`, `bufferSize`.
    known.find((k) => Math.min(k.length, key.length) >= 6 && (lower.startsWith(k.toLowerCase()) || k.toLowerCase().startsWith(lower)));
  return near ? ` (did you mean '${near}'?)` : '';
}
