import { describe, expect, it } from 'vitest';
import { parseCsv, readLabels } from '../../src/learned/labels.js';

describe('labels tables', () => {
  it('parse RFC 4180 CSV: quoted commas, doubled quotes, CRLF, a byte-order mark, a last line without a newline', () => {
    const text = '\ufefffile,device,note\r\na.pcap,pump,"Acme ""P1"", Wi-Fi"\r\nb.pcap,monitor,"two\nlines"\nc.pcap,,x';
    expect(parseCsv(text)).toEqual([
      { fields: ['file', 'device', 'note'], line: 1 },
      { fields: ['a.pcap', 'pump', 'Acme "P1", Wi-Fi'], line: 2 },
      { fields: ['b.pcap', 'monitor', 'two\nlines'], line: 3 },
      { fields: ['c.pcap', '', 'x'], line: 5 },
    ]);
    expect(parseCsv('file\n\n\na.pcap\n')).toHaveLength(2);
  });

  it('read the file, label, device MAC and unit of each capture; rows without a label are left out', () => {
    const text = 'file,device,device_type,device_mac\nA/1.pcap,A1,TypeA,00:09:fb:1a:2b:3c\nA/2.pcap,A2,TypeA,\nB/1.pcap,B1,,\n';
    expect(readLabels(text, { labelColumn: 'device_type', unitColumn: 'device' })).toEqual({
      captures: [
        { file: 'A/1.pcap', label: 'TypeA', mac: '00:09:fb:1a:2b:3c', unit: 'A1', line: 2 },
        { file: 'A/2.pcap', label: 'TypeA', mac: null, unit: 'A2', line: 3 },
      ],
      skipped: 1,
      columns: ['file', 'device', 'device_type', 'device_mac'],
    });
  });

  it('name the column that is missing, and the line that is wrong', () => {
    const text = 'file,device\na.pcap,pump\n';
    expect(() => readLabels(text, { labelColumn: 'model', source: 'labels.csv' })).toThrow(
      'The labels table cannot be used: labels.csv: has no column "model" (columns: file, device)',
    );
    expect(() => readLabels('name,device\na,b\n', { labelColumn: 'device' })).toThrow('has no column "file"');
    expect(() => readLabels('file,device\na.pcap,pump,extra\n', { labelColumn: 'device' })).toThrow('line 2: 3 fields, the header has 2');
    expect(() => readLabels('file,device\n,pump\n', { labelColumn: 'device' })).toThrow('line 2: the "file" column is empty');
    expect(() => readLabels('file,device\na.pcap,\n', { labelColumn: 'device' })).toThrow('no row has a value in "device"');
    expect(() => readLabels('', { labelColumn: 'device' })).toThrow('is empty');
    expect(() => parseCsv('file\n"open', 'l.csv')).toThrow('l.csv: line 2: a quoted field is not closed');
  });
});
