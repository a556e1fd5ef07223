import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractDeviceFeatures, readCaptureFeatures, type CapturedFrame } from '../../src/fingerprints/learned-features.js';
import { DHCP_DISCOVER } from '../decoders/dhcp-frames.js';
import { TCP_SYN } from '../decoders/frames.js';
import { seededRandom } from '../decoders/hex.js';
import { writePcap } from '../decoders/pcap-file.js';
import { DEVICE_MAC, HTTP_GET_FIRST, HTTP_GET_REST, HTTP_RESPONSE, MDNS_ANNOUNCEMENT } from './learned-frames.js';

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const ALL = [DHCP_DISCOVER, TCP_SYN, HTTP_GET_FIRST, HTTP_GET_REST, HTTP_RESPONSE, MDNS_ANNOUNCEMENT];

const ethernet = (frames: readonly Uint8Array[]): CapturedFrame[] => frames.map((bytes, i) => ({ bytes, linkType: LINKTYPE_ETHERNET, tsMs: 1000 * i }));
/** The same packets as a raw-IP capture: no Ethernet header, so no MAC. */
const rawIp = (frames: readonly Uint8Array[]): CapturedFrame[] => frames.map((bytes, i) => ({ bytes: bytes.subarray(14), linkType: LINKTYPE_RAW, tsMs: 1000 * i }));

/** Every spelling of the monitor's own identity that must not reach a token. */
const UNIT_IDENTITY = /0009fb1a2b3c|00:09:fb:1a:2b:3c|1a2b3c|2b3c|10\.20\.0\.55|SN12345678|A1B2C3D4E5F6A7B8/i;

describe('learned features of one device', () => {
  const features = extractDeviceFeatures(ethernet(ALL), { mac: DEVICE_MAC });

  it('reads what the device says as tokens, in the order first seen', () => {
    expect(features.tokens).toEqual([
      'oui.block=0009FB', // the maker's block, not the unit's address
      'oui=Philips Patient Monitoring',
      'sent=dhcp',
      'ip.ttl=64',
      'group=255.255.255.255',
      'udp=67',
      'dhcp.message=1',
      'dhcp.optionOrder=53,61,57,50,12,60,55,81',
      'dhcp.option55=1,3,6,12,15,28,42',
      'dhcp.option60=udhcp 1.30.1',
      'dhcp.option12=MX450-<mac>', // the host name keeps the model, not the unit's MAC suffix
      'dhcp.option81=mx450-<mac>.icu.example',
      'dhcp.option57=1500',
      'dhcp.client-id.type=01/7', // option 61's type and length, never its value
      'dhcp.broadcast-flag=1',
      'sent=tcp',
      'tcp.synSignature=64:64240:1460:7:MSS,SACK,TS,NOP,WS',
      'tcp.connect=2575',
      'sent=http',
      'mdns.service=_http._tcp',
      'mdns.instance=MX450',
      'mdns.txt.model=MX450',
      'mdns.txt.serial=<id>',
      'sent=mdns',
      'ip.ttl=255',
      'group=224.0.0.251',
      'udp=5353',
      // the request was cut over two segments: read whole from the stream
      'http.sent.request=GET /register?serial=<mac>&token=<id>',
      'http.sent.path=GET /register',
      'http.userAgent=MX450/2.1',
      'http.host=<ip>',
      'tcp.service=2575',
      'http.received.status=200',
      'http.received.server=nginx',
    ]);
  });

  it('never keeps the unit\'s MAC, address, serial or token in a token', () => {
    for (const token of features.tokens) expect(token).not.toMatch(UNIT_IDENTITY);
  });

  it('keeps the signals as sent, for the rule library', () => {
    expect(features.signals).toEqual([
      { signal: 'oui', value: 'Philips Patient Monitoring' },
      { signal: 'dhcp.optionOrder', value: '53,61,57,50,12,60,55,81' },
      { signal: 'dhcp.option55', value: '1,3,6,12,15,28,42' },
      { signal: 'dhcp.option60', value: 'udhcp 1.30.1' },
      { signal: 'dhcp.option12', value: 'MX450-2B3C' },
      { signal: 'dhcp.option81', value: 'mx450-2b3c.icu.example' },
      { signal: 'dhcp.option57', value: '1500' },
      { signal: 'tcp.synSignature', value: '64:64240:1460:7:MSS,SACK,TS,NOP,WS' },
      { signal: 'mdns.service', value: '_http._tcp' },
      { signal: 'mdns.instance', value: 'MX450' },
      { signal: 'mdns.txt.model', value: 'MX450' },
      { signal: 'mdns.txt.serial', value: 'SN12345678' },
      { signal: 'http.userAgent', value: 'MX450/2.1' },
      { signal: 'http.host', value: '10.30.0.10' },
    ]);
  });

  it('writes the packet sequence as direction, kind and size class', () => {
    expect(features.sequence).toEqual(['>dhcp9', '>tcp6', '>http7', '>http6', '<http7', '>mdns7']);
  });

  it('has the IoT Sentinel features of the first packets sent, and the same numbers for every capture', () => {
    expect(features.numbers['first.0.kind']).toBe(11); // dhcp
    expect(features.numbers['first.0.size']).toBe(DHCP_DISCOVER.length);
    expect(features.numbers['first.1.dst-port-class']).toBe(2); // 2575: registered
    expect(features.numbers['first.1.destinations']).toBe(2); // 255.255.255.255, then 10.30.0.10
    expect(features.numbers['first.5.kind']).toBe(-1); // five packets sent: no sixth
    expect(features.numbers['sent.packets']).toBe(5);
    expect(features.numbers['received.packets']).toBe(1);
    const empty = extractDeviceFeatures([], {});
    expect(Object.keys(empty.numbers)).toEqual(Object.keys(features.numbers));
    expect(empty).toMatchObject({ tokens: [], sequence: [], signals: [], subject: { by: 'none', address: null } });
  });
});

describe('which device a capture is about', () => {
  it('is the MAC asked for, else the one that sends most (saying the one asked for is absent)', () => {
    const frames = ethernet(ALL);
    expect(extractDeviceFeatures(frames, { mac: '00-09-FB-1A-2B-3C' }).subject).toEqual({ by: 'mac', mac: 0x0009fb1a2b3c, address: DEVICE_MAC, sent: 5, missing: false });
    expect(extractDeviceFeatures(frames, {}).subject).toEqual({ by: 'mac', mac: 0x0009fb1a2b3c, address: DEVICE_MAC, sent: 5, missing: false });
    expect(extractDeviceFeatures(frames, { mac: '02:00:00:00:00:01' }).subject).toMatchObject({ address: DEVICE_MAC, missing: true });
  });

  it('is the local address that sends most in a raw-IP capture, and that address is no feature', () => {
    const f = extractDeviceFeatures(rawIp(ALL.slice(1)), {});
    expect(f.subject).toEqual({ by: 'ip', mac: null, address: '10.20.0.55', sent: 4, missing: false });
    expect(f.tokens).toContain('http.userAgent=MX450/2.1');
    expect(f.tokens.some((t) => t.startsWith('oui'))).toBe(false);
    for (const token of f.tokens) expect(token).not.toMatch(UNIT_IDENTITY);
  });
});

describe('TCP streams', () => {
  const agent = (frames: Uint8Array[]): boolean => extractDeviceFeatures(ethernet(frames), { mac: DEVICE_MAC }).tokens.includes('http.userAgent=MX450/2.1');

  it('read a retransmitted segment once', () => {
    expect(agent([TCP_SYN, HTTP_GET_FIRST, HTTP_GET_FIRST, HTTP_GET_REST])).toBe(true);
  });

  it('stop at a hole: a head missing its first segment is not read', () => {
    expect(agent([TCP_SYN, HTTP_GET_FIRST])).toBe(false);
    expect(agent([TCP_SYN, HTTP_GET_REST, HTTP_GET_FIRST])).toBe(false);
  });
});

describe('bad input', () => {
  it('never throws on a cut frame', () => {
    for (const frame of ALL) {
      for (let length = 0; length < frame.length; length++) {
        expect(() => extractDeviceFeatures(ethernet([frame.subarray(0, length)]), { mac: DEVICE_MAC })).not.toThrow();
      }
    }
  });

  it('never throws on random or mutated frames', () => {
    const random = seededRandom(7);
    for (let n = 0; n < 5000; n++) {
      const base = ALL[n % ALL.length] as Uint8Array;
      const frame = n % 2 === 0 ? Uint8Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)) : base.slice();
      if (n % 2 === 1) for (let k = 0; k < 4; k++) frame[Math.floor(random() * frame.length)] = Math.floor(random() * 256);
      expect(() => extractDeviceFeatures([{ bytes: frame, linkType: n % 3 === 0 ? LINKTYPE_RAW : LINKTYPE_ETHERNET, tsMs: n }], {})).not.toThrow();
    }
  });
});

describe('reading a capture file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardsight-learned-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same features as the frames in memory', async () => {
    const path = join(dir, 'monitor.pcap');
    writePcap(path, ALL);
    const f = await readCaptureFeatures(path, { mac: DEVICE_MAC });
    expect(f.tokens).toEqual(extractDeviceFeatures(ethernet(ALL), { mac: DEVICE_MAC }).tokens);
    expect(f.damaged).toBeNull();
  });

  it('reads a file cut inside its last record up to the damage, and says so', async () => {
    const whole = join(dir, 'whole.pcap');
    writePcap(whole, ALL);
    const cut = join(dir, 'cut.pcap');
    const bytes = readFileSync(whole);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const f = await readCaptureFeatures(cut, { mac: DEVICE_MAC });
    expect(f.damaged).toMatch(/cut short/);
    expect(f.tokens).toContain('http.received.server=nginx');
    expect(f.tokens).not.toContain('mdns.instance=MX450'); // the announcement was the cut record
  });

  it('throws for a file that is not a capture', async () => {
    const path = join(dir, 'not.pcap');
    writeFileSync(path, 'not a capture, only text that is long enough to hold a pcap header');
    await expect(readCaptureFeatures(path)).rejects.toThrow(/not a pcap/);
  });
});
