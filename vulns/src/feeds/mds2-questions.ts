/**
 * What the MDS2 form (ANSI/NEMA HN 1-2019) itself fixes: its question ids and sections, the ids
 * the published form mis-types, the answers it offers, and the DOC questions that name the
 * device. Read by the workbook reader (`mds2.ts`) and the maker's-record summary.
 */
import type { Mds2Value } from '../model.js';

/** A question id: section letters, a dash, numbers joined by dots (`AUDT-2.8.1`). */
export const QUESTION_ID = /^[A-Z]{3,4}-\d+(\.\d+)*$/;

/** The sections of HN 1-2019, by the letters their question ids start with. */
export const SECTIONS: ReadonlySet<string> = new Set([
  'DOC', 'MPII', 'ALOF', 'AUDT', 'AUTH', 'CSUP', 'DIDT', 'DTBK', 'EMRG', 'IGAU', 'MLDP', 'NAUT',
  'CONN', 'PAUT', 'PLOK', 'RDMP', 'SBOM', 'SAHD', 'SGUD', 'STCF', 'TXCF', 'TXIG', 'RMOT', 'OTHR',
]);

/** Section letters the published form mis-types: its SAHD section has a question `SHAD-15`. */
const SECTION_TYPOS: Readonly<Record<string, string>> = { SHAD: 'SAHD' };

/** The DOC questions that identify the device and the document (confirmed on NEMA's example form). */
export const DOC_QUESTIONS = {
  manufacturer: 'DOC-1',
  description: 'DOC-2',
  model: 'DOC-3',
  documentId: 'DOC-4',
  releaseDate: 'DOC-7',
} as const;

/** A question id as written, read: the id, its section, and the id as written where it differed. */
export interface QuestionId {
  id: string;
  section: string;
  writtenId?: string;
}

/**
 * The question id in a cell's text, or null when the text is not one (a heading, `Note 1`).
 * Spaces and letter case are forgiven; a known mis-typed section is corrected.
 */
export function readQuestionId(written: string): QuestionId | null {
  const compact = written.replace(/\s+/g, '').toUpperCase();
  if (!QUESTION_ID.test(compact)) return null;
  const dash = compact.indexOf('-');
  const letters = compact.slice(0, dash);
  const section = SECTION_TYPOS[letters] ?? letters;
  const id = `${section}${compact.slice(dash)}`;
  return id === written ? { id, section } : { id, section, writtenId: written };
}

/**
 * An answer as one of the form's offered values: Yes, No, N/A, See Notes; anything else (a
 * name, a date, free text) is `other`. Answers that start with an offered value and go on
 * (`Yes - see note 3`, `No.`) take that value; the raw text is kept by the caller.
 */
export function normaliseAnswer(raw: string): Mds2Value {
  const answer = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (/^(y|yes|true)$/.test(answer) || /^yes\b/.test(answer)) return 'yes';
  if (/^(n|no|false)$/.test(answer) || /^no\b/.test(answer)) return 'no';
  if (/^(n\/a|na|n\.a\.?|not applicable)$/.test(answer) || /^n\/a\b/.test(answer)) return 'n/a';
  if (/^(see|refer to)\b.*\bnotes?\b/.test(answer)) return 'see-notes';
  return 'other';
}

/** A reference to the form's numbered notes (`See Note 1`, `Notes 2, 3`, `4`), as note numbers. */
export function noteNumbers(written: string): number[] {
  const match = /^(?:(?:see|refer to)\s+)?(?:notes?\s*#?\s*)?(\d+(?:\s*(?:,|&|and)\s*\d+)*)\.?$/i.exec(written.trim());
  return match === null ? [] : (match[1] ?? '').split(/\s*(?:,|&|and)\s*/).map(Number);
}

/** The number of a note row's label (`Note 1`), or null. */
export function noteLabel(written: string): number | null {
  const match = /^note\s*#?\s*(\d+)$/i.exec(written.trim());
  return match === null ? null : Number(match[1]);
}

/** Placeholders the form uses for "no note" (`__`, `-`). */
export function isBlankNote(written: string): boolean {
  return /^[-_\s]*$/.test(written);
}
