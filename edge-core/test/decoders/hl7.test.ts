import { describe, expect, it } from 'vitest';
import { decode, MAX_HL7_MESSAGE, type Hl7Message } from '../../src/decoders/hl7.js';
import { readDelimiters, unescape } from '../../src/decoders/hl7-text.js';
import { NEED_MORE, needsMore } from '../../src/decoders/need-more.js';
import { deliveries, parseStream } from '../state/stream-splits.js';
import { decoderContract } from './contract.js';
import { ACK, mllp, MONITOR_ADT, PUMP_ORU } from './hl7-messages.js';
import { hex, text } from './hex.js';

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

const STANDARD = readDelimiters('MSH|^~\\&|')!;

describe('hl7 decoder', () => {
  it('reads the header, segment ids, PRT device fields and OBX-18 of an MLLP-framed message', () => {
    expect(decode(PUMP_ORU, 0)).toEqual({
      size: PUMP_ORU.length,
      delimiters: '|^~\\&',
      sendingApplication: 'PUMP_GW^1.2.3.4.5^ISO',
      sendingFacility: 'ICU&EAST', // \T\ resolved
      receivingApplication: 'EMR',
      receivingFacility: 'GENERAL',
      messageTime: '20240311083000+0100',
      messageType: 'ORU^R01^ORU_R01',
      controlId: 'MSG00042',
      version: '2.8',
      segmentIds: ['MSH', 'PID', 'OBR', 'OBX', 'PRT', 'PRT'],
      devices: [
        {
          role: 'EQUIP^Equipment^HL70912',
          devices: ['(01)00812345678903(21)SN4711'],
          deviceIdentifier: '00812345678903',
          manufactureDate: '20230115',
          expiryDate: '20280115',
          lotNumber: 'LOT77',
          serialNumber: 'SN4711',
          donationId: null,
          deviceType: 'INFPUMP^Infusion pump^L',
        },
      ], // the second PRT names a person, not a device
      equipmentIds: ['PUMP-0042', 'BAY3-BED2'],
    } satisfies Hl7Message);
  });

  it('takes the delimiters from MSH-1 and MSH-2, never assuming |^~\\&', () => {
    expect(decode(MONITOR_ADT, 0)).toEqual({
      size: MONITOR_ADT.length,
      delimiters: '#$*@%',
      sendingApplication: 'MONITOR_GW',
      sendingFacility: 'WARD#5', // @F@ is the field separator
      receivingApplication: 'ADT_IN',
      receivingFacility: null, // "" is an explicit null
      messageTime: '20240311090000',
      messageType: 'ADT^A01', // components joined with ^ whatever the sender's separator
      controlId: 'ctl-7',
      version: '2.5.1',
      segmentIds: ['MSH', 'EVN'], // CR LF segment ends tolerated
      devices: [],
      equipmentIds: [],
    });
  });

  it('needs more until the end block and its carriage return arrive', () => {
    for (let n = 0; n < PUMP_ORU.length; n++) expect(decode(PUMP_ORU, 0, n), `${n} octets`).toBe(NEED_MORE);
    const two = concat(PUMP_ORU, ACK);
    expect(decode(two, 0)).toMatchObject({ messageType: 'ORU^R01^ORU_R01', size: PUMP_ORU.length });
    expect(decode(two, PUMP_ORU.length)).toMatchObject({ messageType: 'ACK^R01', size: ACK.length });
  });

  it('refuses what is not an MLLP-framed HL7 message as soon as it shows', () => {
    expect(decode(hex(text('MSH|^~\\&|A|B\r')), 0)).toBeNull(); // no start block (what tshark calls plain TCP)
    expect(decode(hex('0b', text('GET / HTTP/1.1')), 0)).toBeNull(); // not MSH
    expect(decode(hex('0b', text('MS')), 0)).toBe(NEED_MORE); // could still be
    expect(decode(hex('0b', text('MSH|^~\\&|A\r'), '1c 0a'), 0)).toBeNull(); // end block without CR
    expect(decode(mllp('MSH'), 0)).toBeNull(); // no delimiters
    expect(decode(mllp('MSHA^~\\&|X'), 0)).toBeNull(); // alphanumeric field separator
    expect(decode(mllp('MSH|^^\\&|X'), 0)).toBeNull(); // a delimiter twice
    expect(decode(mllp('MSH||X'), 0)).toBeNull(); // MSH-2 empty
    expect(decode(mllp('MSH|^~\\&#!|X'), 0)).toBeNull(); // MSH-2 longer than 5
  });

  it('refuses a message longer than MAX_HL7_MESSAGE rather than buffer it', () => {
    const big = new Uint8Array(MAX_HL7_MESSAGE + 16).fill(0x41);
    big.set(hex('0b', text('MSH|^~\\&|')));
    expect(decode(big, 0, MAX_HL7_MESSAGE)).toBe(NEED_MORE);
    expect(decode(big, 0)).toBeNull();
    big.set(hex('1c0d'), big.length - 2);
    expect(decode(big, 0)).toBeNull();
  });

  it('reads a header with fields missing', () => {
    expect(decode(mllp('MSH|^~\\&|APP'), 0)).toMatchObject({
      sendingApplication: 'APP',
      sendingFacility: null,
      messageType: null,
      version: null,
      segmentIds: ['MSH'],
    });
    expect(decode(mllp('MSH|^'), 0)).toMatchObject({ delimiters: '|^', sendingApplication: null }); // one encoding character
  });

  it('keeps at most 32 equipment ids and reads PRT device fields from the sender’s delimiters', () => {
    const many = Array.from({ length: 40 }, (_, i) => `E${i}`).join('~');
    const obx = `OBX|1${'|'.repeat(17)}${many}`; // OBX-18 after 17 separators
    const prt = `PRT${'|'.repeat(10)}DEV\\S\\1`; // PRT-10
    const message = decode(mllp('MSH|^~\\&|A', obx, prt), 0) as Hl7Message;
    expect(message.equipmentIds).toHaveLength(32);
    expect(message.equipmentIds.slice(0, 2)).toEqual(['E0', 'E1']);
    expect(message.devices).toEqual([
      { role: null, devices: ['DEV^1'], deviceIdentifier: null, manufactureDate: null, expiryDate: null, lotNumber: null, serialNumber: null, donationId: null, deviceType: null },
    ]);
  });

  it('gives the same messages for every way a stream of them is split', () => {
    const stream = concat(PUMP_ORU, ACK, MONITOR_ADT);
    const whole = parseStream<Hl7Message>(decode, [{ at: 0, bytes: stream }]);
    expect(whole.messages.map((m) => m.controlId)).toEqual(['MSG00042', 'ACK00042', 'ctl-7']);
    for (const [name, pieces] of deliveries(stream, 200)) {
      expect(parseStream<Hl7Message>(decode, pieces), name).toEqual(whole);
    }
  });
});

describe('hl7 escape sequences', () => {
  it('resolves the delimiter escapes and hex data, drops highlighting, keeps the rest as sent', () => {
    expect(unescape('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f', STANDARD)).toBe('a|b^c&d~e\\f');
    expect(unescape('\\H\\bold\\N\\ \\X414243\\', STANDARD)).toBe('bold ABC');
    expect(unescape('line\\.br\\two \\Zlocal\\ \\X4\\', STANDARD)).toBe('line\\.br\\two \\Zlocal\\ \\X4\\');
    expect(unescape('open \\F', STANDARD)).toBe('open \\F'); // no closing escape
    expect(unescape('\\constructor\\', STANDARD)).toBe('\\constructor\\');
  });

  it('uses the message’s own escape character, and none when MSH-2 declares none', () => {
    const custom = readDelimiters('MSH#$*@%#')!;
    expect(unescape('a@S@b\\S\\c', custom)).toBe('a$b\\S\\c');
    expect(unescape('a\\S\\b', readDelimiters('MSH|^~|')!)).toBe('a\\S\\b');
  });
});

let lastMessage: Hl7Message | null = null;
decoderContract({
  name: 'hl7',
  accepts: (buf, offset, end) => {
    const result = decode(buf, offset, end);
    lastMessage = needsMore(result) ? null : result;
    return lastMessage !== null;
  },
  result: () => lastMessage,
  cases: [
    { name: 'ORU with PRT and OBX-18', bytes: PUMP_ORU, offset: 0 },
    { name: 'ADT with its own delimiters', bytes: MONITOR_ADT, offset: 0 },
  ],
});
