import { describe, expect, it } from 'vitest';
import { NEED_MORE } from '../../src/decoders/need-more.js';
import { decode, type TlsClientHello } from '../../src/decoders/tls.js';
import { ja4 } from '../../src/fingerprints/ja4.js';
import { CLIENT_HELLO_13, CLIENT_HELLO_SPLIT } from '../decoders/tls-fixtures.js';

function helloOf(bytes: Uint8Array): TlsClientHello {
  const flight = decode(bytes, 0);
  if (flight === null || flight === NEED_MORE || flight.clientHello === null) throw new Error('no ClientHello');
  return flight.clientHello;
}

/** A ClientHello record with only the fields JA4 reads set. */
function hello(fields: Partial<TlsClientHello>): TlsClientHello {
  return {
    legacyVersion: 0x0303,
    sessionId: '',
    cipherSuites: [0x1301],
    compressionMethods: [0],
    extensionTypes: [],
    serverName: null,
    alpn: null,
    supportedVersions: null,
    signatureAlgorithms: null,
    supportedGroups: null,
    ecPointFormats: null,
    ...fields,
  };
}

describe('JA4', () => {
  it("reproduces the specification's worked example", () => {
    // The lists of FoxIO's JA4 technical details, in the order the client sent them.
    const example = hello({
      supportedVersions: [0x0304, 0x0303],
      cipherSuites: [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035],
      extensionTypes: [0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015],
      alpn: ['h2', 'http/1.1'],
      signatureAlgorithms: [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
    });
    expect(ja4(example)).toEqual({
      ja4: 't13d1516h2_8daaf6152771_e5627efa2ab1',
      ja4_r:
        't13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601',
    });
  });

  it('leaves GREASE out of the version, counts and lists of a decoded ClientHello', () => {
    expect(ja4(helloOf(CLIENT_HELLO_13))).toEqual({
      ja4: 't13d0407h2_52f89ac5ce33_1fdf4de06b7e',
      ja4_r: 't13d0407h2_002f,1301,1302,c02b_000a,000b,000d,0017,002b_0403,0804,0401',
    });
  });

  it('without supported_versions, SNI, ALPN or signature algorithms', () => {
    // legacy_version TLS 1.2; no underscore before an empty signature algorithm list
    expect(ja4(helloOf(CLIENT_HELLO_SPLIT))).toEqual({
      ja4: 't12i020200_b06afd972a5c_fee41c0d62a8',
      ja4_r: 't12i020200_00ff,c02f_0005,ff01',
    });
  });

  it('writes zeros for empty cipher and extension lists', () => {
    const bare = hello({ cipherSuites: [0x0a0a], extensionTypes: [0x0000, 0x0010, 0xfafa] });
    expect(ja4(bare, 'q').ja4).toBe('q12d000200_000000000000_000000000000');
  });

  it('names versions by the specification and others 00', () => {
    expect(ja4(hello({ legacyVersion: 0x0300 })).ja4.slice(0, 3)).toBe('ts3');
    expect(ja4(hello({ legacyVersion: 0xfefd }), 'd').ja4.slice(0, 3)).toBe('dd2');
    expect(ja4(hello({ legacyVersion: 0x0305 })).ja4.slice(0, 3)).toBe('t00');
    expect(ja4(hello({ supportedVersions: [0x1a1a] })).ja4.slice(0, 3)).toBe('t12'); // only GREASE: legacy
  });

  it('caps the counts at 99', () => {
    const many = hello({ cipherSuites: Array.from({ length: 120 }, (_, i) => 0x0100 + i), extensionTypes: Array.from({ length: 150 }, (_, i) => 0x0100 + i) });
    expect(ja4(many).ja4.slice(4, 8)).toBe('9999');
  });

  it.each([
    [null, '00'],
    [[], '00'],
    [[''], '00'],
    [['h'], 'hh'],
    [['http/1.1', 'h2'], 'h1'],
    [['\xab'], 'ab'],
    [['\xab\xcd'], 'ad'],
    [['0\xab'], '3b'],
    [['01\xab\xcd'], '3d'],
    [['0\xab\xcd1'], '01'],
    [['-x'], '28'], // an ASCII end that is not a letter or digit counts too: hex 2d78
  ] as const)('ALPN %j → %s', (alpn, code) => {
    expect(ja4(hello({ alpn: alpn === null ? null : [...alpn] })).ja4.slice(8, 10)).toBe(code);
  });
});
