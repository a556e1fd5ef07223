import { describe, expect, it } from 'vitest';
import { decode, type Ssdp } from '../../src/decoders/ssdp.js';
import { decoderContract } from './contract.js';

/** Message lines joined with CR LF (UDA 2.0 §1.1.2: HTTP over UDP), ending with the empty line. */
function message(...lines: string[]): Uint8Array {
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n\r\n`);
}

/** An infusion pump's advertisement (UDA 2.0 §1.2.2). */
const NOTIFY_ALIVE = message(
  'NOTIFY * HTTP/1.1', // start line
  'HOST: 239.255.255.250:1900', // the SSDP multicast group
  'CACHE-CONTROL: max-age=1800',
  'LOCATION: http://10.20.0.61:49152/description.xml', // root device description
  'NT: urn:schemas-upnp-org:device:InfusionPump:1', // notification type
  'NTS: ssdp:alive',
  'SERVER: Linux/4.14 UPnP/2.0 PumpLink/3.2.1', // OS/version UPnP/2.0 product/version
  'USN: uuid:4d696e69-0000-1000-8000-0009fb000061::urn:schemas-upnp-org:device:InfusionPump:1',
  'BOOTID.UPNP.ORG: 17', // not kept
);

/** A control point's search (§1.3.2), header names in mixed case and values padded with blanks. */
const M_SEARCH = message(
  'M-SEARCH * HTTP/1.1',
  'Host: 239.255.255.250:1900',
  'Man: "ssdp:discover"',
  'MX: 2',
  'st:  upnp:rootdevice \t', // trailing blanks are not part of the value
  'User-Agent: Android/9 UPnP/1.1 ConnectSDK/1.6',
);

/** A device's answer to the search (§1.3.3). */
const SEARCH_RESPONSE = message(
  'HTTP/1.1 200 OK',
  'CACHE-CONTROL: max-age=100',
  'EXT:', // an empty value
  'LOCATION: http://10.20.0.6:80/description.xml',
  'SERVER: Linux/3.14.0 UPnP/1.0 IpBridge/1.9.0',
  'ST: upnp:rootdevice',
  'USN: uuid:2f402f80-da50-11e1-9b23-001788000006::upnp:rootdevice',
);

const NONE = { server: null, usn: null, nt: null, nts: null, st: null, location: null, userAgent: null };

describe('ssdp decoder', () => {
  it('decodes an advertisement', () => {
    expect(decode(NOTIFY_ALIVE, 0)).toEqual({
      kind: 'notify',
      statusCode: null,
      server: 'Linux/4.14 UPnP/2.0 PumpLink/3.2.1',
      usn: 'uuid:4d696e69-0000-1000-8000-0009fb000061::urn:schemas-upnp-org:device:InfusionPump:1',
      nt: 'urn:schemas-upnp-org:device:InfusionPump:1',
      nts: 'ssdp:alive',
      st: null,
      location: 'http://10.20.0.61:49152/description.xml',
      userAgent: null,
    } satisfies Ssdp);
  });

  it('matches header names without regard to case and trims values', () => {
    expect(decode(M_SEARCH, 0)).toEqual({ ...NONE, kind: 'search', statusCode: null, st: 'upnp:rootdevice', userAgent: 'Android/9 UPnP/1.1 ConnectSDK/1.6' });
  });

  it('decodes a search response', () => {
    expect(decode(SEARCH_RESPONSE, 0)).toEqual({
      ...NONE,
      kind: 'response',
      statusCode: 200,
      server: 'Linux/3.14.0 UPnP/1.0 IpBridge/1.9.0',
      usn: 'uuid:2f402f80-da50-11e1-9b23-001788000006::upnp:rootdevice',
      st: 'upnp:rootdevice',
      location: 'http://10.20.0.6:80/description.xml',
    });
  });

  it('accepts bare LF line ends, keeps the first of a repeated header, skips folded lines and ignores a body', () => {
    const text = 'NOTIFY * HTTP/1.1\nNTS: ssdp:byebye\nnts: ssdp:alive\n folded continuation\nServer: a b\n\n<body/>';
    expect(decode(new TextEncoder().encode(text), 0)).toMatchObject({ kind: 'notify', nts: 'ssdp:byebye', server: 'a b' });
  });

  it('keeps non-ASCII header text as UTF-8', () => {
    expect(decode(message('NOTIFY * HTTP/1.1', 'SERVER: Überwachung/1.0'), 0)?.server).toBe('Überwachung/1.0');
  });

  it('rejects what is not an SSDP message', () => {
    expect(decode(message('GET / HTTP/1.1', 'Host: x'), 0)).toBeNull(); // not an SSDP method
    expect(decode(message('NOTIFY *', 'NT: x'), 0)).toBeNull(); // no version
    expect(decode(message('notify * HTTP/1.1'), 0)).toBeNull(); // methods are case-sensitive
    expect(decode(message('HTTP/1.1 2OO OK'), 0)).toBeNull(); // status not three digits
    expect(decode(message('NOTIFY * HTTP/1.1', 'NT upnp:rootdevice'), 0)).toBeNull(); // a blank in the name
    expect(decode(message('NOTIFY * HTTP/1.1', 'NTupnp-rootdevice'), 0)).toBeNull(); // no colon
    expect(decode(message('NOTIFY * HTTP/1.1', ': x'), 0)).toBeNull(); // no name
    expect(decode(NOTIFY_ALIVE.subarray(0, NOTIFY_ALIVE.length - 2), 0)).toBeNull(); // no empty line
    expect(decode(message('NOTIFY * HTTP/1.1', ...Array.from({ length: 101 }, (_, i) => `X-${i}: y`)), 0)).toBeNull();
    expect(decode(new Uint8Array(0), 0)).toBeNull();
    expect(decode(NOTIFY_ALIVE, -1)).toBeNull();
  });

  it('reads only [offset, end)', () => {
    const framed = new Uint8Array(M_SEARCH.length + 8);
    framed.set(M_SEARCH, 3);
    expect(decode(framed, 3, 3 + M_SEARCH.length)).toEqual(decode(M_SEARCH, 0));
    expect(decode(framed, 3, 3 + M_SEARCH.length - 1)).toBeNull();
  });
});

let lastMessage: Ssdp | null = null;
decoderContract({
  name: 'ssdp',
  accepts: (buf, offset, end) => (lastMessage = decode(buf, offset, end)) !== null,
  result: () => lastMessage,
  cases: [
    { name: 'NOTIFY ssdp:alive', bytes: NOTIFY_ALIVE, offset: 0 },
    { name: 'M-SEARCH', bytes: M_SEARCH, offset: 0 },
    { name: 'search response', bytes: SEARCH_RESPONSE, offset: 0 },
  ],
});
