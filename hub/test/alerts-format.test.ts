/**
 * What a SIEM receives: CEF inside RFC 5424 inside an RFC 5425 octet-counted frame. The expected
 * texts are written out by hand from the specifications; a small reader of CEF extensions checks
 * that escaping keeps every value in its own field whatever the evidence holds.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/alerts/alert.js';
import { CEF_SEVERITY, cefExtensionValue, cefHeaderField, cefMessage } from '../src/alerts/cef.js';
import type { AlertEvent } from '../src/alerts/event.js';
import { headerField, octetFrame, rfc5424, syslogSeverity, type SyslogOrigin } from '../src/alerts/syslog-message.js';
import { INFUSION_PUMP } from './fixtures.js';

function alert(change: Partial<Alert> = {}): Alert {
  return {
    id: 'al-20240501T100600123Z-0001',
    kind: 'new-external-destination',
    severity: 'high',
    device: INFUSION_PUMP,
    sensorId: 'floor2-east',
    title: 'new internet destination 198.51.100.7:443/tcp',
    evidence: { peer: '198.51.100.7', port: 443, transport: 'tcp', hostname: 'pump-icu-07' },
    dedupKey: `new-external-destination|${INFUSION_PUMP}|198.51.100.7:443/tcp`,
    firstAt: '2024-05-01T10:05:00.000Z',
    lastAt: '2024-05-01T10:35:00.000Z',
    count: 3,
    state: 'new',
    stateBy: null,
    stateAt: null,
    raisedAt: '2024-05-01T10:06:00.123Z',
    ...change,
  };
}

const event = (a: Alert = alert(), change: Partial<AlertEvent> = {}): AlertEvent => ({ seq: 42, type: 'raised', at: '2024-05-01T10:06:00.123Z', alert: a, ...change });

const ORIGIN: SyslogOrigin = { facility: 14, hostname: 'hub01.hospital.example', appName: 'wardsight-hub', procId: '4242' };

/** Reads a CEF extension back into key → value, undoing the escapes (CEF rev. 25, "Character encoding"). */
function readExtension(cef: string): Record<string, string> {
  // The extension starts after the 7th unescaped pipe.
  let pipes = 0;
  let i = 0;
  for (; i < cef.length && pipes < 7; i += 1) {
    if (cef[i] === '\\') i += 1;
    else if (cef[i] === '|') pipes += 1;
  }
  const out: Record<string, string> = {};
  for (const m of cef.slice(i).matchAll(/([A-Za-z0-9]+)=((?:\\.|[^\\=])*?)(?= [A-Za-z0-9]+=|$)/g)) {
    out[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
  }
  return out;
}

describe('CEF', () => {
  it('writes the header and extension of a raised alert', () => {
    expect(cefMessage(event(), '0.1.0')).toBe(
      'CEF:0|Wardsight|Wardsight Hub|0.1.0|new-external-destination|new internet destination 198.51.100.7:443/tcp|8|' +
        'rt=1714557960123 start=1714557900000 end=1714559700000 cnt=3 dvcmac=00:09:fb:12:34:56 dvchost=pump-icu-07 ' +
        'cs1Label=Device Key cs1=mac:00:09:fb:12:34:56 cs2Label=Sensor cs2=floor2-east externalId=al-20240501T100600123Z-0001 act=new cat=raised ' +
        'msg=peer: 198.51.100.7, port: 443, transport: tcp, hostname: pump-icu-07',
    );
  });

  it('names who moved the alert and its state on an acknowledgement', () => {
    const acknowledged = alert({ state: 'acknowledged', stateBy: 'secops', stateAt: '2024-05-01T11:00:00.000Z' });
    const fields = readExtension(cefMessage(event(acknowledged, { type: 'acknowledged', at: '2024-05-01T11:00:00.000Z' }), '0.1.0'));
    expect(fields).toMatchObject({ act: 'acknowledged', cat: 'acknowledged', cs3Label: 'State Changed By', cs3: 'secops', rt: String(Date.parse('2024-05-01T11:00:00.000Z')) });
  });

  it('escapes pipes and backslashes in the header, and =, backslashes and line breaks in the extension', () => {
    expect(cefHeaderField('pump|monitor \\ gateway')).toBe('pump\\|monitor \\\\ gateway');
    expect(cefHeaderField('two\r\nlines\nhere')).toBe('two lines here');
    expect(cefExtensionValue('a=b c\\d\nnext\rline')).toBe('a\\=b c\\\\d\\nnext\\rline');
    // Pipes need no escape in the extension.
    expect(cefExtensionValue('x|y')).toBe('x|y');

    const tricky = alert({
      title: 'odd banner | from C:\\pumps',
      evidence: { banner: 'HTTP/1.1 200 OK\r\nServer: pump=1 act=resolved', path: 'C:\\pumps\\icu', note: 'x=y externalId=fake' },
    });
    const cef = cefMessage(event(tricky), '0.1.0');
    expect(cef.split('|').length).toBeGreaterThan(8);
    expect(cef).toContain('|odd banner \\| from C:\\\\pumps|8|');
    expect(cef).not.toMatch(/[\r\n]/);
    const fields = readExtension(cef);
    // The evidence's "act=" and "externalId=" stay inside msg; the real ones are the alert's.
    expect(fields.act).toBe('new');
    expect(fields.externalId).toBe('al-20240501T100600123Z-0001');
    expect(fields.msg).toBe('banner: HTTP/1.1 200 OK\r\nServer: pump=1 act=resolved, path: C:\\pumps\\icu, note: x=y externalId=fake');
  });

  it('maps severities onto 0–10 in order, in ArcSight\'s bands', () => {
    expect(CEF_SEVERITY).toEqual({ low: 3, medium: 6, high: 8, critical: 10 });
    expect(cefMessage(event(alert({ severity: 'critical' })), '0.1.0').split('|')[6]).toBe('10');
  });

  it('names an IP-keyed device by its address: src for IPv4, c6a2 for IPv6', () => {
    const v4 = readExtension(cefMessage(event(alert({ device: 'ip:10.20.0.7' })), '0.1.0'));
    expect(v4).toMatchObject({ src: '10.20.0.7', cs1: 'ip:10.20.0.7' });
    expect(v4).not.toHaveProperty('dvcmac');
    const v6 = readExtension(cefMessage(event(alert({ device: 'ip:fd00:20::7' })), '0.1.0'));
    expect(v6).toMatchObject({ c6a2Label: 'Source IPv6 Address', c6a2: 'fd00:20::7' });
    expect(v6).not.toHaveProperty('src');
  });
});

describe('RFC 5424 and RFC 5425 framing', () => {
  it('writes PRI, version, timestamp, host, app, process, message id and the meta sequence id', () => {
    const cef = cefMessage(event(), '0.1.0');
    // Facility 14 (log alert) × 8 + severity 3 (error) for a high alert = 115.
    expect(rfc5424(event(), ORIGIN, cef)).toBe(`<115>1 2024-05-01T10:06:00.123Z hub01.hospital.example wardsight-hub 4242 alert-raised [meta sequenceId="42"] ${cef}`);
  });

  it('gives a raise its alert\'s severity and an analyst\'s move the informational severity', () => {
    expect(['critical', 'high', 'medium', 'low'].map((severity) => syslogSeverity(event(alert({ severity: severity as Alert['severity'] }))))).toEqual([2, 3, 4, 5]);
    expect(syslogSeverity(event(alert({ severity: 'critical', state: 'resolved' }), { type: 'resolved' }))).toBe(6);
    expect(rfc5424(event(alert(), { type: 'resolved' }), ORIGIN, 'x')).toMatch(/^<118>1 .* alert-resolved /);
  });

  it('keeps header fields to printable ASCII without spaces and within their lengths, NILVALUE when empty', () => {
    expect(headerField('hub 01 (ward é)', 255)).toBe('hub01(ward)');
    expect(headerField('', 48)).toBe('-');
    expect(headerField('x'.repeat(60), 48)).toHaveLength(48);
    const message = rfc5424(event(), { ...ORIGIN, hostname: 'my hub' }, 'm');
    expect(message.split(' ')[2]).toBe('myhub');
  });

  it('wraps the sequence id after 2147483647, as RFC 5424 §7.3.1 says', () => {
    expect(rfc5424(event(alert(), { seq: 2_147_483_648 }), ORIGIN, 'm')).toContain('[meta sequenceId="1"]');
  });

  it('frames with the length in octets, not characters', () => {
    const message = rfc5424(event(alert({ title: 'Temperatur 38 °C – Pumpe Station Süd' })), ORIGIN, cefMessage(event(alert({ title: 'Temperatur 38 °C – Pumpe Station Süd' })), '0.1.0'));
    const frame = octetFrame(message);
    const space = frame.indexOf(0x20);
    const length = Number(frame.subarray(0, space).toString('ascii'));
    expect(length).toBe(Buffer.byteLength(message, 'utf8'));
    expect(length).toBeGreaterThan(message.length);
    expect(frame.length).toBe(space + 1 + length);
    expect(frame.subarray(space + 1).toString('utf8')).toBe(message);
  });
});
