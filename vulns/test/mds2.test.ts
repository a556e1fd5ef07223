import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import readXlsxFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { parseMds2 } from '../src/feeds/mds2.js';
import { normaliseAnswer, noteNumbers, readQuestionId } from '../src/feeds/mds2-questions.js';
import { MDS2_FACT_QUESTIONS, mds2Summary, type Mds2FactName } from '../src/feeds/mds2-summary.js';
import { sharedPath } from './shared-data.js';

// ---------------------------------------------------------------------------------------------
// A minimal .xlsx writer for fixtures: stored (uncompressed) zip entries, inline strings.

/** A zip archive of `parts`, stored without compression (PKWARE APPNOTE §4.3). */
function zip(parts: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(parts)) {
    const data = Buffer.from(content, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An .xlsx workbook whose sheets hold `rows` of text cells (null leaves a cell empty). */
function workbook(sheets: Record<string, (string | null)[][]>): Buffer {
  const names = Object.keys(sheets);
  const parts: Record<string, string> = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${names.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${OFFICE}"><sheets>${names.map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${RELS}">${names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${OFFICE}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`,
  };
  names.forEach((name, i) => {
    const rows = sheets[name]!.map((row, r) => {
      const cells = row.map((value, c) => (value === null ? '' : `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`)).join('');
      return `<row r="${r + 1}">${cells}</row>`;
    });
    parts[`xl/worksheets/sheet${i + 1}.xml`] = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>${rows.join('')}</sheetData></worksheet>`;
  });
  return zip(parts);
}

/** A maker's form with its columns moved: an extra column first, notes before answers. */
const MAKER_FORM: (string | null)[][] = [
  ['Acme Medical — MDS2 for SyringeFlow 300', null, null, null, null],
  [null, null, null, null, null],
  ['Section', 'Question ID', 'Question', 'Notes', 'Answer'],
  ['Document', 'DOC-1', 'Manufacturer Name', '__', 'Acme Medical'],
  ['Document', 'DOC-2', 'Device Description', null, 'Syringe infusion pump'],
  ['Document', 'DOC-3', 'Device Model', null, 'SyringeFlow 300'],
  ['Document', 'DOC-4', 'Document ID', null, 'ACME-MDS2-0042'],
  ['Document', 'DOC-7', 'Document Release Date', null, '2024-05-01'],
  [null, 'CONNECTIVITY CAPABILITIES (CONN)', null, null, null],
  ['Connectivity', 'CONN-1', 'Does the device have hardware connectivity capabilities?', '__', 'Yes'],
  ['Connectivity', 'conn-1.1', 'Does the device support wireless connections?', 'See Note 2', 'Yes - see note 2'],
  ['Connectivity', 'CONN-6', 'Does the device require an internet connection for its intended use?', null, 'No.'],
  ['Authentication', 'PAUT-8', 'Does the device support multi-factor authentication?', null, 'N/A'],
  ['Hardening', 'SHAD-15', 'Can the system prevent access to BIOS or other bootloaders during boot?', null, 'Y'],
  ['Hardening', 'SAHD-16', 'Have additional hardening methods been used?', 'Notes 1, 2', 'See Notes'],
  ['Storage', 'STCF-1', 'Can the device encrypt data at rest?', 'See note 9', null],
  ['Other', 'XYZQ-1', 'A question of no section', 'Supplied on request', 'Yes'],
  ['Connectivity', 'CONN-1', 'Does the device have hardware connectivity capabilities?', null, 'No'],
  ['Roadmap', 'RDMP-4', 'Does the manufacturer have a plan for managing third-party component end-of-life?', null, 'Planned for 2026'],
  [null, 'Notes:', null, null, null],
  [null, 'Note 1', 'Secure boot is enabled.', null, null],
  [null, 'Note 2', 'Wi-Fi 802.11ac with WPA2-Enterprise.', null, null],
];

describe('parseMds2 on NEMA\'s example worksheet', () => {
  const path = sharedPath('mds2/Example-MDS2-Worksheet.xlsx');
  it.skipIf(path === null)('reads every question row with its answer, notes and the DOC facts', async () => {
    const bytes = readFileSync(path!);
    const doc = await parseMds2(bytes, path!);
    expect(doc.kind).toBe('mds2');
    expect(doc.problems).toEqual([]);
    expect(doc.mds2).toHaveLength(1);
    const form = doc.mds2[0]!;
    // The rows of the sheet whose first cell is a question id, counted straight from the workbook.
    const [sheet] = await readXlsxFile(bytes);
    const idRows = sheet!.data.filter((row) => typeof row[0] === 'string' && /^[A-Z]{3,4}-\d+(\.\d+)*$/.test(row[0].trim()));
    expect(form.answers).toHaveLength(idRows.length);
    expect(form.answers.map((a) => a.writtenId ?? a.id)).toEqual(idRows.map((row) => String(row[0]).trim()));
    expect(form.answers.map((a) => a.raw)).toEqual(idRows.map((row) => (row[2] instanceof Date ? row[2].toISOString().slice(0, 10) : String(row[2] ?? '').trim())));
    expect({ manufacturer: form.manufacturer, model: form.model, documentId: form.documentId, date: form.date }).toEqual({ manufacturer: 'Hidden', model: 'Hidden', documentId: 'Hidden', date: '2019-10-09' });
    const byId = new Map(form.answers.map((a) => [a.id, a]));
    expect(byId.get('SAHD-15')).toMatchObject({ section: 'SAHD', writtenId: 'SHAD-15', value: 'yes' });
    expect(byId.has('SHAD-15')).toBe(false);
    expect(byId.get('CONN-1.2.4')!.notes).toBe('Note 5: Proprietary serial interface cable.');
    expect(byId.get('DOC-10')).toMatchObject({ value: 'see-notes', raw: '' });
    expect(byId.get('DOC-10')!.notes).toMatch(/^Note 1: The device is a battery powered, hand held/);
    expect(byId.get('SAHD-16')).toMatchObject({ value: 'see-notes', raw: 'See Notes', notes: 'Note 6: All access requires use of proprietary cable.' });
    expect(byId.get('DOC-2')).toMatchObject({ value: 'other', raw: 'Handheld Blood Glucose Monitor' });
    const sections = new Set(form.answers.map((a) => a.section));
    const values = new Map<string, number>();
    for (const a of form.answers) values.set(a.value, (values.get(a.value) ?? 0) + 1);
    console.info(`MDS2 example: ${form.answers.length} answers in ${sections.size} sections, ${form.answers.filter((a) => a.notes !== undefined).length} with notes, values ${JSON.stringify(Object.fromEntries(values))}`);
    expect(sections.size).toBe(23);

    const summary = mds2Summary(form);
    for (const name of Object.keys(MDS2_FACT_QUESTIONS) as Mds2FactName[]) {
      const fact = summary[name];
      const answer = byId.get(MDS2_FACT_QUESTIONS[name]);
      expect(fact, name).not.toBeNull();
      expect(fact).toMatchObject({ id: answer!.id, answer: answer!.value, raw: answer!.raw, text: answer!.question });
    }
    expect(summary.connectivity!.answer).toBe('yes');
    expect(summary.internetRequired).toMatchObject({ id: 'CONN-6', answer: 'no', text: 'Does the device require an internet connection for its intended use?' });
    expect([summary.multiFactorAuthentication!.answer, summary.encryptionAtRest!.answer, summary.encryptionInTransit!.answer, summary.sbomAvailable!.answer]).toEqual(['no', 'no', 'no', 'no']);
    expect(summary.componentEndOfLifePlan!.answer).toBe('n/a');
    expect(summary.supportDatesPublished!.notes).toBe('Note 8: www.companywebsite.com/support/thisdevice');
  });

  it.skipIf(path === null)('gives a problem, never a throw, for every cut-short copy of the workbook', async () => {
    const bytes = readFileSync(path!);
    for (const end of [0, 2, 4, 100, 1000, Math.floor(bytes.length / 2), bytes.length - 200, bytes.length - 1]) {
      const doc = await parseMds2(bytes.subarray(0, end), 'cut.xlsx');
      expect(doc.mds2).toEqual([]);
      expect(doc.problems).toHaveLength(1);
      expect(doc.problems[0]).toMatchObject({ file: 'cut.xlsx', place: 'byte 0' });
    }
  });

  it.skipIf(path === null)('reads the whole form when only the zip end record is lost, the entries being whole', async () => {
    const bytes = readFileSync(path!);
    const full = await parseMds2(bytes, 'cut.xlsx');
    // APPNOTE §4.3.16: the end of central directory record is 22 bytes when the archive has no comment.
    const cut = await parseMds2(bytes.subarray(0, bytes.length - 22), 'cut.xlsx');
    expect(cut).toEqual(full);
  });
});

describe('parseMds2 on fixture workbooks', () => {
  it('finds moved columns by their headings and reads answers, typos and notes', async () => {
    const doc = await parseMds2(workbook({ Cover: [['Security disclosure']], Security: MAKER_FORM }), 'acme.xlsx');
    expect(doc.mds2).toHaveLength(1);
    const form = doc.mds2[0]!;
    expect(form).toMatchObject({ manufacturer: 'Acme Medical', model: 'SyringeFlow 300', documentId: 'ACME-MDS2-0042', date: '2024-05-01', source: { feed: 'mds2', file: 'acme.xlsx', document: 'ACME-MDS2-0042' } });
    const byId = new Map(form.answers.map((a) => [a.id, a]));
    expect(byId.get('CONN-1.1')).toEqual({ id: 'CONN-1.1', section: 'CONN', question: 'Does the device support wireless connections?', value: 'yes', raw: 'Yes - see note 2', notes: 'Note 2: Wi-Fi 802.11ac with WPA2-Enterprise.', writtenId: 'conn-1.1' });
    expect(byId.get('CONN-1')!.value).toBe('yes');
    expect(byId.get('CONN-6')!.value).toBe('no');
    expect(byId.get('PAUT-8')!.value).toBe('n/a');
    expect(byId.get('SAHD-15')).toMatchObject({ value: 'yes', raw: 'Y', writtenId: 'SHAD-15' });
    expect(byId.get('SAHD-16')!.notes).toBe('Note 1: Secure boot is enabled.\nNote 2: Wi-Fi 802.11ac with WPA2-Enterprise.');
    expect(byId.get('STCF-1')).toMatchObject({ value: 'see-notes', raw: '', notes: 'See note 9' });
    expect(byId.get('XYZQ-1')).toMatchObject({ value: 'yes', notes: 'Supplied on request' });
    expect(byId.get('RDMP-4')).toMatchObject({ value: 'other', raw: 'Planned for 2026' });
    expect(doc.problems).toEqual([
      { file: 'acme.xlsx', place: 'sheet "Security", row 16', message: 'STCF-1 cites note 9, which the form does not have' },
      { file: 'acme.xlsx', place: 'sheet "Security", row 17', message: 'XYZQ-1 is in no section of HN 1-2019 (XYZQ); kept as written' },
      { file: 'acme.xlsx', place: 'sheet "Security", row 18', message: 'CONN-1 appears twice; the first answer is kept' },
    ]);
    const summary = mds2Summary(form);
    expect(summary.wireless).toEqual({ id: 'CONN-1.1', answer: 'yes', raw: 'Yes - see note 2', text: 'Does the device support wireless connections?', notes: 'Note 2: Wi-Fi 802.11ac with WPA2-Enterprise.' });
    expect(summary.remoteService).toBeNull();
  });

  it('reads the answer column by its content where it has no heading, and says so', async () => {
    const rows: (string | null)[][] = [
      ['Question ID', 'Question', 'SyringeFlow 300', 'Note #'],
      ['DOC-1', 'Manufacturer Name', 'Acme Medical', null],
      ['DOC-3', 'Device Model', 'SyringeFlow 300', null],
      ['CONN-1', 'Does the device have hardware connectivity capabilities?', 'Yes', '1'],
      ['CONN-6', 'Does the device require an internet connection?', 'No', null],
      ['SBOM-1', 'Is the SBoM for this product available?', 'Yes', null],
      ['Note 1', 'Ethernet and Wi-Fi.', null, null],
    ];
    const doc = await parseMds2(workbook({ Form: rows }), 'plain.xlsx');
    expect(doc.problems).toEqual([{ file: 'plain.xlsx', place: 'sheet "Form", row 1', message: 'no answer column heading; column C, which holds the Yes/No/N/A answers, was read as the answers' }]);
    expect(doc.mds2[0]!.answers.map((a) => [a.id, a.value, a.notes ?? null])).toEqual([
      ['DOC-1', 'other', null], ['DOC-3', 'other', null], ['CONN-1', 'yes', 'Note 1: Ethernet and Wi-Fi.'], ['CONN-6', 'no', null], ['SBOM-1', 'yes', null],
    ]);
    expect(doc.mds2[0]!.manufacturer).toBe('Acme Medical');
  });

  it('names the missing maker and model, and refuses workbooks that hold no form', async () => {
    const unnamed = await parseMds2(workbook({ Form: [['Question ID', 'Question', 'Answer'], ['CONN-1', 'Connectivity?', 'Yes']] }), 'unnamed.xlsx');
    expect(unnamed.mds2[0]).toMatchObject({ manufacturer: '', model: '' });
    expect(unnamed.problems.map((p) => p.place)).toEqual(['sheet "Form", row 1', 'sheet "Form", row 1']);
    const other = await parseMds2(workbook({ Budget: [['Item', 'Cost'], ['Pumps', '1200']], Staff: [['Name']] }), 'budget.xlsx');
    expect(other.mds2).toEqual([]);
    expect(other.problems).toEqual([{ file: 'budget.xlsx', place: 'sheets "Budget", "Staff"', message: 'no sheet has a header row with "Question ID" and "Question" columns: not an MDS2 form' }]);
  });

  it('gives a problem naming the file for bytes that are not a workbook', async () => {
    for (const [name, bytes] of [
      ['notes.txt', Buffer.from('Question ID,Question,Answer\nCONN-1,Connectivity?,Yes\n')],
      ['empty.xlsx', Buffer.alloc(0)],
      ['parts.zip', zip({ 'readme.txt': 'not a workbook' })],
      ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0])],
    ] as const) {
      const doc = await parseMds2(bytes, name);
      expect(doc.mds2).toEqual([]);
      expect(doc.problems).toHaveLength(1);
      expect(doc.problems[0]).toMatchObject({ file: name, place: 'byte 0' });
    }
    expect((await parseMds2(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]), 'old.xls')).problems[0]!.message).toContain('save it as .xlsx');
  });
});

describe('MDS2 form vocabulary', () => {
  it('normalises answers to the values the form offers', () => {
    const cases: [string, string][] = [
      ['Yes', 'yes'], ['YES', 'yes'], ['y', 'yes'], ['Yes, via the service port', 'yes'], ['TRUE', 'yes'],
      ['No', 'no'], ['no.', 'no'], ['N', 'no'], ['None', 'other'], ['Not applicable', 'n/a'], ['N/A', 'n/a'], ['na', 'n/a'],
      ['See Note', 'see-notes'], ['see notes', 'see-notes'], ['Refer to note 3', 'see-notes'], ['', 'other'], ['Hidden', 'other'],
    ];
    expect(cases.map(([raw]) => [raw, normaliseAnswer(raw)])).toEqual(cases);
  });

  it('reads question ids and note citations', () => {
    expect(readQuestionId('AUDT-2.8.1')).toEqual({ id: 'AUDT-2.8.1', section: 'AUDT' });
    expect(readQuestionId('SHAD-15')).toEqual({ id: 'SAHD-15', section: 'SAHD', writtenId: 'SHAD-15' });
    expect(readQuestionId('Note 1')).toBeNull();
    expect(readQuestionId('AUTOMATIC LOGOFF (ALOF)')).toBeNull();
    expect(noteNumbers('See Note 12')).toEqual([12]);
    expect(noteNumbers('Notes 2, 3 and 5')).toEqual([2, 3, 5]);
    expect(noteNumbers('4')).toEqual([4]);
    expect(noteNumbers('Supplied on request')).toEqual([]);
  });
});
