/**
 * MDS2 workbooks (ANSI/NEMA HN 1-2019, `.xlsx`). Makers fill in NEMA's form but move, add and
 * rename columns, so nothing is found by position: the header row is the one holding "Question ID"
 * and "Question", the answer and note columns are found by their header text wherever the form puts
 * it, and the numbered notes at the foot of the form are joined to the answers that cite them.
 */
import readXlsxFile from 'read-excel-file/node';
import type { FeedDocument, FeedProblem, Mds2Answer, Mds2Record } from '../model.js';
import { emptyDocument } from './document.js';
import { DOC_QUESTIONS, isBlankNote, normaliseAnswer, noteLabel, noteNumbers, readQuestionId, SECTIONS } from './mds2-questions.js';

type Cell = string | number | boolean | Date | null;

/** A sheet as read, its cells' values kept as the workbook typed them. */
interface SheetRows {
  name: string;
  rows: Cell[][];
}

/** Where the form's columns are (0-based), and the row (1-based) that heads them. */
interface FormLayout {
  headerRow: number;
  id: number;
  question: number;
  answer: number;
  notes?: number;
}

/**
 * Reads an MDS2 workbook. Every sheet laid out as the form gives one `Mds2Record`; a file that is
 * not an `.xlsx` workbook, or holds no such sheet, gives a problem and no record.
 */
export async function parseMds2(bytes: Uint8Array, file: string): Promise<FeedDocument> {
  const doc = emptyDocument('mds2', file);
  let sheets: SheetRows[];
  try {
    const workbook = await readXlsxFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    sheets = workbook.map((sheet) => ({ name: sheet.sheet, rows: sheet.data.map((row) => row.map((cell: unknown) => asCell(cell))) }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const oldFormat = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
    const message = oldFormat ? 'an Excel 97–2003 (.xls) workbook: save it as .xlsx to import it' : `not an Excel (.xlsx) workbook: ${reason}`;
    doc.problems.push({ file, place: 'byte 0', message });
    return doc;
  }
  for (const sheet of sheets) {
    const layout = findLayout(sheet, file, doc.problems);
    if (layout !== null) doc.mds2.push(readForm(sheet, layout, file, doc.problems));
  }
  if (doc.mds2.length === 0) {
    doc.problems.push({ file, place: `sheets ${sheets.map((sheet) => `"${sheet.name}"`).join(', ')}`, message: 'no sheet has a header row with "Question ID" and "Question" columns: not an MDS2 form' });
  }
  return doc;
}

/** A workbook value in the types this reader handles. */
function asCell(value: unknown): Cell {
  if (value instanceof Date || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

/** A cell as text: dates as ISO dates (with the time only when it is not midnight). */
function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) {
    const iso = Number.isNaN(cell.getTime()) ? '' : cell.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return String(cell).trim();
}

/** A header cell's text folded for comparison. */
function headerText(cell: Cell | undefined): string {
  return cellText(cell).toLowerCase().replace(/\s+/g, ' ');
}

const ID_HEADER = /^(question ?id|id)$/;
const QUESTION_HEADER = /^questions?( text)?$/;
/** NEMA's form heads its answer column "Yes, No, N/A, or See Note" (below the DOC section). */
const ANSWER_HEADER = /^(answers?|responses?|yes, ?no\b.*)$/;
/** NEMA's form heads its note column "See note" and, further down, "Note #". */
const NOTES_HEADER = /^(see notes?|notes?|note ?#|note (no|number)\.?|comments?)$/;

/** Finds the form's columns on a sheet, or null when the sheet is not laid out as the form. */
function findLayout(sheet: SheetRows, file: string, problems: FeedProblem[]): FormLayout | null {
  const headerIndex = sheet.rows.findIndex((row) => {
    const texts = row.map(headerText);
    return texts.some((t) => ID_HEADER.test(t)) && texts.some((t) => QUESTION_HEADER.test(t));
  });
  if (headerIndex < 0) return null;
  const texts = (sheet.rows[headerIndex] ?? []).map(headerText);
  const id = texts.findIndex((t) => ID_HEADER.test(t));
  const question = texts.findIndex((t) => QUESTION_HEADER.test(t));
  let answer: number | undefined;
  let notes: number | undefined;
  // The answer and note headings may sit on the header row or on a later heading row.
  for (const row of sheet.rows.slice(headerIndex)) {
    if (readQuestionId(cellText(row[id])) !== null) continue;
    row.forEach((cell, column) => {
      if (column === id || column === question) return;
      const heading = headerText(cell);
      if (answer === undefined && ANSWER_HEADER.test(heading)) answer = column;
      else if (notes === undefined && NOTES_HEADER.test(heading)) notes = column;
    });
  }
  if (answer === undefined) {
    answer = answerColumnByContent(sheet.rows.slice(headerIndex + 1), [id, question, notes]);
    if (answer === undefined) {
      problems.push({ file, place: `sheet "${sheet.name}", row ${headerIndex + 1}`, message: 'the form has no answer column (no "Answer" or "Yes, No, N/A" heading, no column of such answers)' });
      return null;
    }
    problems.push({ file, place: `sheet "${sheet.name}", row ${headerIndex + 1}`, message: `no answer column heading; column ${columnLetter(answer)}, which holds the Yes/No/N/A answers, was read as the answers` });
  }
  const layout: FormLayout = { headerRow: headerIndex + 1, id, question, answer };
  if (notes !== undefined) layout.notes = notes;
  return layout;
}

/** The column (other than `taken`) holding the most Yes/No/N/A/See Notes answers on question rows. */
function answerColumnByContent(rows: Cell[][], taken: (number | undefined)[]): number | undefined {
  const counts = new Map<number, number>();
  for (const row of rows) {
    if (!row.some((cell) => readQuestionId(cellText(cell)) !== null)) continue;
    row.forEach((cell, column) => {
      if (!taken.includes(column) && normaliseAnswer(cellText(cell)) !== 'other') counts.set(column, (counts.get(column) ?? 0) + 1);
    });
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  return best?.[0];
}

/** A column's spreadsheet letters (0 → A, 26 → AA). */
function columnLetter(column: number): string {
  return column < 26 ? String.fromCharCode(65 + column) : `${columnLetter(Math.floor(column / 26) - 1)}${String.fromCharCode(65 + (column % 26))}`;
}

/** Reads the questions, answers and notes of one sheet laid out as the form. */
function readForm(sheet: SheetRows, layout: FormLayout, file: string, problems: FeedProblem[]): Mds2Record {
  const at = (row: number): string => `sheet "${sheet.name}", row ${row}`;
  const notes = readNotes(sheet.rows, layout);
  const answers: Mds2Answer[] = [];
  const seen = new Set<string>();
  sheet.rows.forEach((row, index) => {
    if (index < layout.headerRow) return;
    const written = cellText(row[layout.id]);
    const question = readQuestionId(written);
    if (question === null) return;
    const place = at(index + 1);
    if (seen.has(question.id)) {
      problems.push({ file, place, message: `${question.id} appears twice; the first answer is kept` });
      return;
    }
    seen.add(question.id);
    if (!SECTIONS.has(question.section)) problems.push({ file, place, message: `${question.id} is in no section of HN 1-2019 (${question.section}); kept as written` });
    const raw = cellText(row[layout.answer]);
    const noteCell = layout.notes === undefined ? '' : cellText(row[layout.notes]);
    const cited = noteNumbers(noteCell);
    const answer: Mds2Answer = {
      id: question.id,
      section: question.section,
      question: cellText(row[layout.question]),
      value: raw === '' && cited.length > 0 ? 'see-notes' : normaliseAnswer(raw),
      raw,
    };
    const noteText = resolveNotes(noteCell, cited, notes, question.id, file, place, problems);
    if (noteText !== undefined) answer.notes = noteText;
    if (question.writtenId !== undefined) answer.writtenId = question.writtenId;
    answers.push(answer);
  });
  return describeForm(answers, file, at(layout.headerRow), problems);
}

/** The numbered notes at the foot of the form: rows labelled `Note N` with their text beside. */
function readNotes(rows: Cell[][], layout: FormLayout): Map<number, string> {
  const notes = new Map<number, string>();
  for (const row of rows) {
    const number = noteLabel(cellText(row[layout.id]));
    if (number === null) continue;
    const body = row.slice(layout.id + 1).map(cellText).find((value) => value !== '');
    if (body !== undefined) notes.set(number, body);
  }
  return notes;
}

/**
 * An answer's note: the cited notes' text (`Note 5: Proprietary serial interface cable.`), or the
 * cell's own text when it is not a citation. A cited note the form lacks is reported and its
 * citation kept as written.
 */
function resolveNotes(cell: string, cited: number[], notes: Map<number, string>, id: string, file: string, place: string, problems: FeedProblem[]): string | undefined {
  if (isBlankNote(cell)) return undefined;
  if (cited.length === 0) return cell;
  const missing = cited.filter((number) => !notes.has(number));
  if (missing.length > 0) {
    problems.push({ file, place, message: `${id} cites note ${missing.join(', ')}, which the form does not have` });
    return cell;
  }
  return cited.map((number) => `Note ${number}: ${notes.get(number) ?? ''}`).join('\n');
}

/**
 * The record around the answers: maker (DOC-1), model (DOC-3, else the device description DOC-2),
 * document id (DOC-4) and release date (DOC-7), as answered.
 */
function describeForm(answers: Mds2Answer[], file: string, place: string, problems: FeedProblem[]): Mds2Record {
  const answerTo = (id: string): string | undefined => {
    const raw = answers.find((answer) => answer.id === id)?.raw;
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const manufacturer = answerTo(DOC_QUESTIONS.manufacturer);
  const model = answerTo(DOC_QUESTIONS.model) ?? answerTo(DOC_QUESTIONS.description);
  if (manufacturer === undefined) problems.push({ file, place, message: `the form does not name the manufacturer (${DOC_QUESTIONS.manufacturer})` });
  if (model === undefined) problems.push({ file, place, message: `the form names no device model (${DOC_QUESTIONS.model}) or description (${DOC_QUESTIONS.description})` });
  const documentId = answerTo(DOC_QUESTIONS.documentId);
  const record: Mds2Record = {
    manufacturer: manufacturer ?? '',
    model: model ?? '',
    answers,
    source: { feed: 'mds2', file, document: documentId ?? file },
  };
  if (documentId !== undefined) record.documentId = documentId;
  const date = answerTo(DOC_QUESTIONS.releaseDate);
  if (date !== undefined) record.date = date;
  return record;
}
