import { describe, expect, it } from 'vitest';
import { decode, type Syslog } from '../../src/decoders/syslog.js';
import { decoderContract } from './contract.js';

function datagram(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** RFC 5424 §6: a patient monitor's alarm log, with structured data and a UTF-8 MSG. */
const RFC5424 = datagram(
  [
    '<165>1', // PRI 165 = local4 (20) × 8 + notice (5); VERSION 1
    '2024-03-05T08:15:02.120+01:00', // TIMESTAMP (§6.2.3)
    'mx450-2b3c.icu.example', // HOSTNAME
    'alarmd', // APP-NAME
    '1123', // PROCID
    'ALARM', // MSGID
    '[origin ip="10.20.0.55" software="IntelliVue" swVersion="M.00.03"][meta sequenceId="7"]', // STRUCTURED-DATA
    '\ufeffSpO\u2082 low\n', // MSG: BOM, UTF-8 text, a trailing line end
  ].join(' '),
);

/** RFC 3164 §4.1: an infusion pump's daemon, day padded with a space, TAG with a pid. */
const RFC3164 = datagram('<13>Mar  5 08:15:02 infusion-07 pumpd[312]: occlusion cleared\n\0');

const NIL_HEADER = { version: null, timestamp: null, hostname: null, appName: null, procId: null, msgId: null };

describe('syslog decoder', () => {
  it('decodes an RFC 5424 message', () => {
    expect(decode(RFC5424, 0)).toEqual({
      format: 'rfc5424',
      priority: 165,
      facility: 20,
      severity: 5,
      version: 1,
      timestamp: '2024-03-05T08:15:02.120+01:00',
      hostname: 'mx450-2b3c.icu.example',
      appName: 'alarmd',
      procId: '1123',
      msgId: 'ALARM',
      message: 'SpO\u2082 low',
    } satisfies Syslog);
  });

  it('reads NILVALUEs as absent and a message-less RFC 5424 header', () => {
    expect(decode(datagram('<34>1 - - - - - -'), 0)).toEqual({ ...NIL_HEADER, format: 'rfc5424', priority: 34, facility: 4, severity: 2, version: 1, message: null });
    expect(decode(datagram('<34>1 2003-10-11T22:14:15Z host app - ID47 [a b="c\\]d"] hi'), 0)).toMatchObject({ msgId: 'ID47', procId: null, message: 'hi' });
  });

  it('decodes an RFC 3164 message', () => {
    expect(decode(RFC3164, 0)).toEqual({
      format: 'rfc3164',
      priority: 13,
      facility: 1,
      severity: 5,
      version: null,
      timestamp: 'Mar  5 08:15:02',
      hostname: 'infusion-07',
      appName: 'pumpd',
      procId: '312',
      msgId: null,
      message: 'occlusion cleared',
    } satisfies Syslog);
  });

  it('takes a token ending in a colon after an RFC 3164 timestamp as the TAG, not the host', () => {
    expect(decode(datagram('<30>Oct 11 22:14:15 ntpd: time reset'), 0)).toMatchObject({ hostname: null, appName: 'ntpd', procId: null, message: 'time reset' });
    expect(decode(datagram('<30>Oct 11 22:14:15 ntpd[42]: x'), 0)).toMatchObject({ hostname: null, appName: 'ntpd', procId: '42', message: 'x' });
  });

  it('keeps a header in neither format as the message', () => {
    const unknown = { ...NIL_HEADER, format: 'unknown', priority: 14, facility: 1, severity: 6 };
    expect(decode(datagram('<14>pump 7 rebooted\r\n'), 0)).toEqual({ ...unknown, message: 'pump 7 rebooted' });
    expect(decode(datagram('<14>1 yesterday host app - - - x'), 0)).toEqual({ ...unknown, message: '1 yesterday host app - - - x' }); // bad TIMESTAMP
    expect(decode(datagram('<14>1 - host app - - x'), 0)).toMatchObject({ format: 'unknown' }); // STRUCTURED-DATA neither '-' nor '['
    expect(decode(datagram('<14>1 - host app - - [a'), 0)).toMatchObject({ format: 'unknown' }); // SD-ELEMENT not closed
    expect(decode(datagram(`<14>1 - ${'h'.repeat(256)} app - - -`), 0)).toMatchObject({ format: 'unknown' }); // HOSTNAME over 255
    expect(decode(datagram('<14>'), 0)).toEqual({ ...unknown, message: '' });
  });

  it('rejects a datagram without a valid PRI', () => {
    for (const text of ['', '<1', '<>x', '<192>x', '<1a>x', '<1234>x', '14>x', ' <14>x']) {
      expect(decode(datagram(text), 0), text).toBeNull();
    }
    expect(decode(datagram('<0>x'), 0)).toMatchObject({ facility: 0, severity: 0 });
    expect(decode(datagram('<191>x'), 0)).toMatchObject({ facility: 23, severity: 7 });
  });

  it('reads only [offset, end)', () => {
    const framed = new Uint8Array(RFC3164.length + 4);
    framed.set(RFC3164, 2);
    expect(decode(framed, 2, 2 + RFC3164.length)).toEqual(decode(RFC3164, 0));
    expect(decode(framed, 2, 5)).toBeNull(); // "<13" without its '>'
    expect(decode(RFC3164, -1)).toBeNull();
  });
});

let lastMessage: Syslog | null = null;
decoderContract({
  name: 'syslog',
  accepts: (buf, offset, end) => (lastMessage = decode(buf, offset, end)) !== null,
  result: () => lastMessage,
  cases: [
    // Everything after the PRI is free-form to a receiver (RFC 5424 §6.4): any cut after it is a message.
    { name: 'RFC 5424', bytes: RFC5424, offset: 0, declaredLength: 5 },
    { name: 'RFC 3164', bytes: RFC3164, offset: 0, declaredLength: 4 },
  ],
});
