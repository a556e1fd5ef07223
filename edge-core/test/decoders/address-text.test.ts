import { describe, expect, it } from 'vitest';
import { macKeyText } from '../../src/decoders/address-text.js';
import { ipv4ToString, ipv6ToString, macToString } from '../../src/dissect.js';
import { hex } from './hex.js';

function v6(groups: string): string {
  return ipv6ToString(hex(groups), 0);
}

describe('address text', () => {
  it('writes MACs in lower-case colon form', () => {
    expect(macToString(0x0009fb1a2b3c)).toBe('00:09:fb:1a:2b:3c');
    expect(macToString(0)).toBe('00:00:00:00:00:00');
    expect(macToString(2 ** 48 - 1)).toBe('ff:ff:ff:ff:ff:ff');
    expect(() => macToString(2 ** 48)).toThrow(RangeError);
    expect(() => macToString(-1)).toThrow(RangeError);
    // Every nibble in every position, against the plain hex form.
    for (let i = 0; i < 5000; i++) {
      const mac = Math.floor(((i * 2654435761) % 2 ** 32) * 2 ** 16 + ((i * 40503) % 2 ** 16)) % 2 ** 48;
      const plain = mac.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
      expect(macToString(mac)).toBe(plain);
      expect(macKeyText(mac)).toBe(`mac:${plain}`);
    }
  });

  it('writes IPv4 in dotted decimal', () => {
    expect(ipv4ToString(0x0a140037)).toBe('10.20.0.55');
    expect(ipv4ToString(0xffffffff)).toBe('255.255.255.255');
    expect(ipv4ToString(0)).toBe('0.0.0.0');
  });

  it('writes IPv6 in the RFC 5952 form', () => {
    expect(v6('20010db8 00000000 00000000 00000001')).toBe('2001:db8::1'); // §4.2.1
    expect(v6('20010db8 00000001 00010001 00010001')).toBe('2001:db8:0:1:1:1:1:1'); // §4.2.2: one zero group stays
    expect(v6('20010db8 00000000 00010000 00000001')).toBe('2001:db8::1:0:0:1'); // §4.2.3: first of equal runs
    expect(v6('20010000 00000001 00000000 00000001')).toBe('2001:0:0:1::1'); // §4.2.3: longest run
    expect(v6('20010DB8 0000000A 00000000 0000ABCD')).toBe('2001:db8:0:a::abcd'); // §4.1, §4.3
    expect(v6('00000000 00000000 00000000 00000000')).toBe('::');
    expect(v6('00000000 00000000 00000000 00000001')).toBe('::1');
    expect(v6('fe800000 00000000 0209fbff fe1a2b3c')).toBe('fe80::209:fbff:fe1a:2b3c');
    expect(v6('ff020000 00000000 00000000 00000016')).toBe('ff02::16');
    expect(v6('00000000 00000000 0000ffff c0000201')).toBe('::ffff:192.0.2.1'); // §5 IPv4-mapped
    expect(v6('20010db8 00010002 00030004 00050000')).toBe('2001:db8:1:2:3:4:5:0');
  });

  it('reads the address at an offset and refuses one past the buffer', () => {
    const buf = hex('aaaa', 'fe800000 00000000 00000000 00000001');
    expect(ipv6ToString(buf, 2)).toBe('fe80::1');
    expect(() => ipv6ToString(buf, 3)).toThrow(RangeError);
  });
});
