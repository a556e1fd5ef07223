import { describe, expect, it } from 'vitest';
import { AssetFileError } from '../src/assets/file-error.js';
import { parseMapping } from '../src/assets/mapping.js';
import { readRegisterFile } from '../src/assets/register-file.js';
import { HubError } from '../src/errors.js';

/** A CMMS whose export uses semicolons and its own risk classes. */
const MAPPING = `
delimiter: ";"
columns:
  assetTag: Asset No
  serialNumber: Serial
  room: Room
  criticality: Risk
  mac: MAC
  hostname: Host
  ip: IP
criticality:
  Life support: critical
  Therapy: high
  Diagnostic: medium
`;

const HEADER = 'Asset No;Serial;Room;Risk;MAC;Host;IP;Notes';
/** Row 2 carries a note over two lines: one spreadsheet row, two lines of text. */
const GOOD = [
  HEADER,
  'BME-1001;SN-1001;2.14;Therapy;00-09-FB-12-34-56;pump-icu-01;10.20.0.7;"checked in May,',
  'battery replaced"',
  'BME-1002;;2.15;life SUPPORT;0009.fb12.3457;icu-mon-3;;',
  ';SN-5000;L-1;low;;;;',
  ';;;;;;;',
  'BME-1003;SN-77; 2.16 ;Diagnostic;001b63aabb01;;FE80::1;',
];

const csv = (lines: string[]) => `${lines.join('\r\n')}\r\n`;
const withRow = (row: number, line: string) => GOOD.map((l, i) => (i === lineOfRow(row) ? line : l));
/** GOOD's text line of a spreadsheet row (row 2 spans two lines). */
const lineOfRow = (row: number) => (row <= 2 ? row - 1 : row);

function failure(text: string, mapping = MAPPING): AssetFileError {
  try {
    readRegisterFile(text, parseMapping(mapping));
  } catch (err) {
    expect(err).toBeInstanceOf(AssetFileError);
    return err as AssetFileError;
  }
  throw new Error('the file was accepted');
}

function mappingFailure(text: string): HubError {
  try {
    parseMapping(text);
  } catch (err) {
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).code).toBe('HUB_ERR_ASSET_MAPPING');
    return err as HubError;
  }
  throw new Error('the mapping was accepted');
}

describe('asset register file', () => {
  it('reads each asset row under its tag or serial, normalising MACs, criticality words and addresses, and skipping blank rows', () => {
    const rows = readRegisterFile(csv(GOOD), parseMapping(MAPPING));
    expect(rows.map((r) => [r.row, r.key])).toEqual([
      [2, 'tag:BME-1001'],
      [3, 'tag:BME-1002'],
      [4, 'serial:SN-5000'],
      [6, 'tag:BME-1003'],
    ]);
    expect(rows[0]!.values).toEqual({ assetTag: 'BME-1001', serialNumber: 'SN-1001', room: '2.14', criticality: 'high', mac: '00:09:fb:12:34:56', hostname: 'pump-icu-01', ip: '10.20.0.7' });
    expect(rows[1]!.values).toMatchObject({ criticality: 'critical', mac: '00:09:fb:12:34:57' });
    expect(rows[1]!.values).not.toHaveProperty('serialNumber');
    // The hub's own words pass without a mapping entry; values are trimmed.
    expect(rows[2]!.values).toMatchObject({ criticality: 'low', room: 'L-1' });
    expect(rows[3]!.values).toMatchObject({ room: '2.16', criticality: 'medium', mac: '00:1b:63:aa:bb:01', ip: 'fe80::1' });
  });

  it('reads a comma-separated file with a byte-order mark when the mapping is JSON and gives no delimiter', () => {
    const mapping = JSON.stringify({ columns: { assetTag: 'Tag', mac: 'MAC' } });
    const rows = readRegisterFile('\ufeffTag,MAC\nA-1,00:09:fb:12:34:56\n', parseMapping(mapping));
    expect(rows).toEqual([{ row: 2, key: 'tag:A-1', values: { assetTag: 'A-1', mac: '00:09:fb:12:34:56' } }]);
  });

  it('names the row and the column of a row with too few or too many values', () => {
    const short = failure(csv(withRow(4, ';SN-5000;L-1;low;;;')));
    expect(short).toMatchObject({ code: 'HUB_ERR_ASSET_COLUMN_COUNT', row: 4, column: 'Notes' });
    expect(short.message).toMatch(/^.*row 4, column "Notes": the row ends before this column: 7 values where the header has 8 columns/);
    const long = failure(csv(withRow(3, 'BME-1002;;2.15;life SUPPORT;0009.fb12.3457;icu-mon-3;;;extra')));
    expect(long).toMatchObject({ code: 'HUB_ERR_ASSET_COLUMN_COUNT', row: 3, column: 'Notes' });
    expect(long.message).toContain('9 values where the header has 8 columns');
  });

  it('names the row and the column of a bad MAC address, counting a quoted value over two lines as one row', () => {
    const err = failure(csv(withRow(6, 'BME-1003;SN-77;2.16;Diagnostic;00:1b:63:aa:bb;;;')));
    expect(err).toMatchObject({ code: 'HUB_ERR_ASSET_MAC', row: 6, column: 'MAC', statusCode: 400 });
    expect(err.message).toContain('"00:1b:63:aa:bb" is not a MAC address');
  });

  it('names the row and the column of a criticality word the mapping does not know, and lists the words it knows', () => {
    const err = failure(csv(withRow(3, 'BME-1002;;2.15;Very high;;icu-mon-3;;')));
    expect(err).toMatchObject({ code: 'HUB_ERR_ASSET_CRITICALITY', row: 3, column: 'Risk' });
    expect(err.message).toContain('"Very high" is not a criticality the mapping knows (life support, therapy, diagnostic, critical, high, medium, low)');
  });

  it('names the column the mapping reads but the header lacks, at row 1', () => {
    const err = failure(csv(GOOD).replace(';Host;', ';Hostname;'));
    expect(err).toMatchObject({ code: 'HUB_ERR_ASSET_HEADER', row: 1, column: 'Host' });
    expect(err.message).toContain('the mapping reads hostname from this column, but the header has no such column (it has "Asset No", "Serial", "Room", "Risk", "MAC", "Hostname", "IP", "Notes")');
    expect(failure(csv(GOOD).replace(';IP;', ';Room;'))).toMatchObject({ code: 'HUB_ERR_ASSET_HEADER', row: 1, column: 'Room' });
    expect(failure('')).toMatchObject({ code: 'HUB_ERR_ASSET_HEADER', row: 1 });
  });

  it('names the second row of a duplicate asset tag, and of a duplicate serial number without a tag', () => {
    const tag = failure(csv([...GOOD, 'BME-1001;SN-9;2.14;Therapy;;;;']));
    expect(tag).toMatchObject({ code: 'HUB_ERR_ASSET_DUPLICATE', row: 7, column: 'Asset No' });
    expect(tag.message).toContain('asset tag BME-1001 is also on row 2');
    const serial = failure(csv([...GOOD, ';SN-5000;L-2;;;;;']));
    expect(serial).toMatchObject({ code: 'HUB_ERR_ASSET_DUPLICATE', row: 7, column: 'Serial' });
  });

  it('names the row and the column where a quote opens and never closes', () => {
    const err = failure(csv(withRow(4, ';SN-5000;"L-1;low;;;;')));
    expect(err).toMatchObject({ code: 'HUB_ERR_ASSET_QUOTE', row: 4, column: 'Room' });
    // A quote inside an unquoted value is an inch mark, as a spreadsheet reads it.
    const rows = readRegisterFile(csv(withRow(3, 'BME-1002;;Bay 15" door;Therapy;;;;')), parseMapping(MAPPING));
    expect(rows.find((r) => r.row === 3)?.values.room).toBe('Bay 15" door');
  });

  it('refuses a row with neither tag nor serial, an address that is not one, and a value with a line break', () => {
    expect(failure(csv(withRow(4, ';;L-1;low;;;;')))).toMatchObject({ code: 'HUB_ERR_ASSET_NO_KEY', row: 4, column: 'Asset No' });
    expect(failure(csv(withRow(3, 'BME-1002;;2.15;Therapy;;;10.20.0.300;')))).toMatchObject({ code: 'HUB_ERR_ASSET_VALUE', row: 3, column: 'IP' });
    expect(failure(csv(withRow(3, 'BME-1002;;"2.15\nnorth";Therapy;;;;')))).toMatchObject({ code: 'HUB_ERR_ASSET_VALUE', row: 3, column: 'Room' });
  });
});

describe('column mapping', () => {
  it('refuses what is not a usable mapping, naming the key at fault', () => {
    expect(mappingFailure('columns: [a, b').message).toContain('not valid YAML or JSON');
    expect(mappingFailure('- a\n- b\n').message).toContain('expected a mapping');
    expect(mappingFailure('colums: {}\n').message).toContain('unknown key "colums"');
    expect(mappingFailure('columns: { serial: S }\n').message).toContain('columns.serial is not an asset field; the fields are assetTag, serialNumber');
    expect(mappingFailure('columns: { room: Room }\n').message).toContain('must name the assetTag column, the serialNumber column or both');
    expect(mappingFailure('columns: { assetTag: "" }\n').message).toContain('columns.assetTag must be the header name of a column');
    expect(mappingFailure('columns: { assetTag: T }\ndelimiter: "\\""\n').message).toContain('may not contain a double quote');
    expect(mappingFailure('columns: { assetTag: T }\ncriticality: { Class A: urgent }\n').message).toContain('criticality.Class A is "urgent"; it must be one of critical, high, medium, low');
    expect(mappingFailure('columns: { assetTag: T }\ncriticality: { A: high, a: low }\n').message).toContain('lists "a" twice (ignoring case), as high and as low');
    expect(mappingFailure('columns: { assetTag: T, assetTag: U }\n').message).toContain('not valid YAML or JSON');
  });

  it('takes a tab delimiter and numeric criticality classes', () => {
    const mapping = parseMapping('delimiter: "\\t"\ncolumns: { assetTag: Tag, criticality: Class }\ncriticality: { 1: critical, 2: high }\n');
    expect(readRegisterFile('Tag\tClass\nA-1\t1\nA-2\t2\n', mapping).map((r) => r.values.criticality)).toEqual(['critical', 'high']);
  });
});
