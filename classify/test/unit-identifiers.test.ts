import { describe, expect, it } from 'vitest';
import { macHex, macSpellings, MAX_TOKEN_TEXT, scrub } from '../src/unit-identifiers.js';

const own = macSpellings('5ccf7f07aefb');

describe('scrubbing unit identifiers out of token text', () => {
  it('replaces the unit\'s own MAC in any spelling, whole or its last octets', () => {
    expect(scrub('ESP_07AEFB', own)).toBe('ESP_<mac>');
    expect(scrub('dchAEFB.local', own)).toBe('dch<mac>.local');
    expect(scrub('serialNumber=5CCF7F07AEFB', own)).toBe('serialNumber=<mac>');
    expect(scrub('5c-cf-7f-07-ae-fb', own)).toBe('<mac>');
    expect(scrub('5ccf.7f07.aefb', own)).toBe('<mac>');
  });

  it('replaces any MAC, IPv4 and IPv6 address, reverse name and UUID', () => {
    expect(scrub('peer 00:1b:63:84:45:e6 at 10.1.2.3', null)).toBe('peer <mac> at <ip>');
    expect(scrub('55.0.168.192.in-addr.arpa', null)).toBe('<ip>.in-addr.arpa');
    expect(scrub('b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa', null)).toBe('<ip>.ip6.arpa');
    expect(scrub('fe80::1c5f:2bff:feaa:fd4e', null)).toBe('<ip>');
    expect(scrub('2001:db8:0:0:0:0:0:1', null)).toBe('<ip>');
    expect(scrub('uuid:2f402f80-da50-11e1-9b23-00178824f7ff::upnp:rootdevice', null)).toBe('uuid:<uuid>::upnp:rootdevice');
  });

  it('replaces serials and tokens: long digit runs and long runs mixing letters and digits', () => {
    expect(scrub('uuid:Socket-1_0-221517K0101769', null)).toBe('uuid:Socket-1_0-<id>');
    expect(scrub('ts=1498137611', null)).toBe('ts=<id>');
    expect(scrub('order 1234567', null)).toBe('order <n>');
  });

  it('keeps what names a model and its software', () => {
    expect(scrub('DCH-S220', own)).toBe('DCH-S220');
    expect(scrub('udhcp 1.21.1', own)).toBe('udhcp 1.21.1');
    expect(scrub('HS110(EU)', own)).toBe('HS110(EU)');
    expect(scrub('64:64240:1460:7:MSS,SACK,TS,NOP,WS', own)).toBe('64:64240:1460:7:MSS,SACK,TS,NOP,WS');
    expect(scrub('std::vector at 12:30:45', own)).toBe('std::vector at 12:30:45');
  });

  it('turns control characters into spaces and bounds the length', () => {
    expect(scrub('a\u0000b\r\nc', null)).toBe('a b c');
    expect(scrub('x'.repeat(1000), null)).toHaveLength(MAX_TOKEN_TEXT);
  });

  it('spells a 48-bit MAC as 12 hex digits, and refuses other text', () => {
    expect(macHex(0x0009fb1a2b3c)).toBe('0009fb1a2b3c');
    expect(macSpellings('not a mac')).toBeNull();
  });
});
