/**
 * Output values with capture groups: `IntelliVue ${1|upper}`, `${version}`, `${0|lower}`.
 * `${n}` is group n of the rule's first regular expression (0: the whole match); `${name}` is a
 * named group of any of its regular expressions. Modifiers: `upper`, `lower`.
 */

export type Modifier = 'upper' | 'lower';

export type TemplatePart = { literal: string } | { group: number | string; modifier: Modifier | null };

export interface Template {
  /** As written in the rule file. */
  text: string;
  parts: readonly TemplatePart[];
}

/** Captured text by group, from the rule's matches; undefined when the group did not take part. */
export interface CaptureLookup {
  numbered(index: number): string | undefined;
  named(name: string): string | undefined;
}

const REFERENCE = /\$\{([^}]*)\}/g;
const GROUP = /^(?:(\d{1,2})|([A-Za-z_][A-Za-z0-9_]*))(?:\|(upper|lower))?$/;

/** Parses a template, or returns why it cannot be parsed. */
export function parseTemplate(text: string): Template | { error: string } {
  const parts: TemplatePart[] = [];
  let at = 0;
  for (const reference of text.matchAll(REFERENCE)) {
    const start = reference.index;
    if (start > at) parts.push({ literal: text.slice(at, start) });
    const inner = reference[1] ?? '';
    const group = GROUP.exec(inner);
    if (!group) return { error: `\${${inner}} is not a group reference (\${1}, \${name}, optionally |upper or |lower)` };
    const modifier = (group[3] ?? null) as Modifier | null;
    parts.push({ group: group[1] !== undefined ? Number(group[1]) : (group[2] ?? ''), modifier });
    at = start + reference[0].length;
  }
  if (at < text.length) parts.push({ literal: text.slice(at) });
  if (parts.length === 0) return { error: 'the value is empty' };
  return { text, parts };
}

export function isStatic(template: Template): boolean {
  return template.parts.every((part) => 'literal' in part);
}

/** The groups a template refers to. */
export function references(template: Template): (number | string)[] {
  const groups: (number | string)[] = [];
  for (const part of template.parts) if (!('literal' in part)) groups.push(part.group);
  return groups;
}

/** The value, or null when a referenced group did not match or the result is blank. */
export function expand(template: Template, captures: CaptureLookup): string | null {
  let value = '';
  for (const part of template.parts) {
    if ('literal' in part) {
      value += part.literal;
      continue;
    }
    const text = typeof part.group === 'number' ? captures.numbered(part.group) : captures.named(part.group);
    if (text === undefined || text === '') return null;
    value += part.modifier === 'upper' ? text.toUpperCase() : part.modifier === 'lower' ? text.toLowerCase() : text;
  }
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
}
