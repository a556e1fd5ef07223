import { describe, expect, it } from 'vitest';
import { decode } from '../../src/decoders/dhcp.js';
import { ACK_DHCP_OFFSET, DHCP_ACK_QINQ, DHCP_DISCOVER, DISCOVER_DHCP_OFFSET } from './dhcp-frames.js';
import { hex, text } from './hex.js';

const OPTIONS = DISCOVER_DHCP_OFFSET + 240;
/** The discover's fixed part and magic cookie, followed by other options. */
function withOptions(...options: string[]): Uint8Array {
  const head = DHCP_DISCOVER.subarray(DISCOVER_DHCP_OFFSET, OPTIONS);
  const tail = hex(...options);
  const message = new Uint8Array(head.length + tail.length);
  message.set(head);
  message.set(tail, head.length);
  return message;
}

function decodeWhole(message: Uint8Array): ReturnType<typeof decode> {
  return decode(message, 0, message.length);
}

describe('dhcp decoder', () => {
  it('decodes a DISCOVER with the options used to identify the client', () => {
    expect(decode(DHCP_DISCOVER, DISCOVER_DHCP_OFFSET, DHCP_DISCOVER.length - DISCOVER_DHCP_OFFSET)).toEqual({
      op: 1,
      htype: 1,
      hlen: 6,
      hops: 0,
      xid: 0x3903f326,
      secs: 0,
      flags: 0x8000,
      ciaddr: 0,
      yiaddr: 0,
      siaddr: 0,
      giaddr: 0,
      chaddr: '00:09:fb:1a:2b:3c',
      chaddrMac: 0x0009fb1a2b3c,
      magicCookie: 0x63825363,
      optionCodes: [53, 61, 57, 50, 12, 60, 55, 81],
      messageType: 1,
      hostname: 'MX450-2B3C', // trailing NUL stripped
      requestedIp: 0x0a140037,
      serverId: null,
      parameterRequestList: [1, 3, 6, 12, 15, 28, 42],
      maxMessageSize: 1500,
      vendorClassId: 'udhcp 1.30.1',
      clientId: '010009fb1a2b3c',
      clientFqdn: 'mx450-2b3c.icu.example',
    });
  });

  it('decodes an ACK', () => {
    expect(decode(DHCP_ACK_QINQ, ACK_DHCP_OFFSET, DHCP_ACK_QINQ.length - ACK_DHCP_OFFSET)).toMatchObject({
      op: 2,
      yiaddr: 0x0a140037,
      optionCodes: [53, 54, 51, 1, 3, 6],
      messageType: 5,
      serverId: 0x0a140002,
      hostname: null,
      parameterRequestList: null,
      clientFqdn: null,
    });
  });

  it('skips pads, stops at the end option and ignores what follows it', () => {
    const message = withOptions('00 00', '35 01 03', '00', 'ff', '00'.repeat(40));
    expect(decodeWhole(message)).toMatchObject({ messageType: 3, optionCodes: [53] });
  });

  it('reads an ASCII client FQDN (E flag clear) and keeps the first of a repeated option', () => {
    const message = withOptions('51 0b 00 ff ff' + text('pump-17.'), '0c 02' + text('p1'), '0c 02' + text('p2'), 'ff');
    expect(decodeWhole(message)).toMatchObject({ clientFqdn: 'pump-17.', hostname: 'p1' });
  });

  it('keeps text bytes as latin1', () => {
    const message = withOptions('0c 04 4d fc 6c 6c', 'ff'); // "Müll" in ISO 8859-1
    expect(decodeWhole(message)?.hostname).toBe('Müll');
  });

  it('leaves fields of the wrong length unset', () => {
    const message = withOptions('35 02 01 01', '32 03 0a1400', '36 00', '39 01 05', '3d 01 01', '51 02 0500', 'ff');
    expect(decodeWhole(message)).toMatchObject({
      optionCodes: [53, 50, 54, 57, 61, 81],
      messageType: null,
      requestedIp: null,
      serverId: null,
      maxMessageSize: null,
      clientId: null,
      clientFqdn: null,
    });
  });

  it('treats a malformed wire-format FQDN as absent', () => {
    const compressed = withOptions('51 05 04 00 00 c0 0c', 'ff'); // a compression pointer
    expect(decodeWhole(compressed)?.clientFqdn).toBeNull();
    const overrun = withOptions('51 05 04 00 00 05 61', 'ff'); // a 5-octet label with one octet
    expect(decodeWhole(overrun)?.clientFqdn).toBeNull();
  });

  it('bounds-checks option overload but does not read sname and file as options', () => {
    expect(decodeWhole(withOptions('34 01 03', '35 01 01', 'ff'))).toMatchObject({ optionCodes: [52, 53] });
    expect(decodeWhole(withOptions('35 01 01', '34 02 03'))).toBeNull();
  });

  it('rejects what is not a DHCP message', () => {
    expect(decodeWhole(withOptions('35 01 01'))).toBeNull(); // no end option
    expect(decodeWhole(withOptions('35 05 01', 'ff'))).toBeNull(); // option past the end
    expect(decodeWhole(withOptions('35'))).toBeNull(); // option code without its length
    const notCookie = withOptions('ff');
    notCookie[236] = 0;
    expect(decodeWhole(notCookie)).toBeNull();
    const badOp = withOptions('ff');
    badOp[0] = 3;
    expect(decodeWhole(badOp)).toBeNull();
    expect(decode(DHCP_DISCOVER, DISCOVER_DHCP_OFFSET, DHCP_DISCOVER.length)).toBeNull(); // past the buffer
    expect(decode(DHCP_DISCOVER, -1, 300)).toBeNull();
  });

  it('limits chaddr to its 16 octets', () => {
    const long = withOptions('ff');
    long[2] = 200; // hlen 200
    expect(decodeWhole(long)?.chaddr).toBe('00:09:fb:1a:2b:3c:00:00:00:00:00:00:00:00:00:00');
  });
});
