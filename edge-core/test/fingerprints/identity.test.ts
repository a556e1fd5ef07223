/** The edge core on the simulated hospital's frames: who is who, and nothing credited to the wrong device. */
import { describe, expect, it } from 'vitest';
import { buildHospital, joinFrames, packets } from '@wardsight/sim';
import { EdgeCore } from '../../src/core.js';
import { createDissection, dissect } from '../../src/dissect.js';
import { IdentityTracker } from '../../src/fingerprints/identity.js';
import { DeviceTable } from '../../src/state/device-table.js';
import { CDP_PHONE, LLDP_SWITCH } from '../decoders/discovery-frames.js';
import { MDNS_RESPONSE } from '../decoders/dns-messages.js';
import { TCP_HL7_PUSH } from '../decoders/frames.js';

function coreFor(floor: string) {
  const hospital = buildHospital({ seed: 5 });
  const table = new DeviceTable();
  const core = new EdgeCore(table);
  const frames = hospital.floors.find((f) => f.floor === floor)?.frames ?? [];
  for (const { ts, frame } of frames) core.onFrame(frame, frame.length, Number(ts / 1000n));
  return { hospital, table, core, frames };
}

describe('identity from DHCP, ARP, the OUI and TCP services', () => {
  it('knows every device on the floor by MAC with its hostname, address and vendor', () => {
    const { hospital, table } = coreFor('1');
    for (const d of hospital.devices.filter((x) => x.floor === '1')) {
      const key = `mac:${d.mac}` as const;
      expect(table.values(key, 'hostname')).toEqual([d.hostname]);
      expect(table.values(key, 'ip')).toContain(d.ip);
      expect(table.values(key, 'vendor')).toEqual([d.vendor]);
      expect(table.values(key, 'dhcp.vendorClass')).toEqual([d.dhcp.vendorClassId]);
      expect(table.values(key, 'dhcp.parameterList')).toEqual([d.dhcp.parameterRequestList.join(',')]);
      // RFC 2132 §9.6: the message type option comes first from every simulated client; 55 is always sent.
      for (const order of table.values(key, 'dhcp.optionOrder')) expect(order).toMatch(/^53(,\d+)*,55(,\d+)*$/);
      expect(table.values(key, 'dhcp.optionOrder').length).toBeGreaterThan(0);
    }
  });

  it('gives a device its NIC maker when the first frame heard of it is the DHCP server\'s answer', () => {
    const hospital = buildHospital({ seed: 5 });
    const device = hospital.devices.find((d) => d.floor === '1' && d.vendor);
    const gateway = hospital.infrastructure.find((g) => g.floor === '1');
    if (!device || !gateway) throw new Error('the simulated floor has no device or gateway');
    const join = joinFrames(device, gateway, 1_700_000_000_000_000);
    // The capture starts in the middle of the join: the relay's ACK is heard before anything the device sends.
    const ack = join.findIndex((f, i) => f.sender === 'gateway' && i > 1);
    const frames = [join[ack], ...join.slice(ack + 1)].filter((f): f is (typeof join)[number] => f !== undefined);
    const table = new DeviceTable();
    const core = new EdgeCore(table);
    for (const f of frames) core.onFrame(f.frame, f.frame.length, Math.floor(f.ts / 1000));
    const key = `mac:${device.mac}` as const;
    expect(table.values(key, 'ip')).toContain(device.ip);
    expect(table.values(key, 'vendor')).toEqual([device.vendor]);
  });

  it('credits services to the server that answers', () => {
    const { hospital, table } = coreFor('1');
    const pacs = hospital.devices.find((d) => d.category === 'pacs');
    expect(table.values(`mac:${pacs?.mac ?? ''}`, 'service')).toContain('tcp/104');
  });

  it('never credits a service to the router that forwards the answer from another floor', () => {
    const { hospital, table, frames } = coreFor('2');
    const router = hospital.infrastructure.find((g) => g.floor === '2');
    const routerMac = Number.parseInt((router?.mac ?? '').replaceAll(':', ''), 16);
    // The CT on floor 2 stores to the PACS on floor 1: the PACS's SYN-ACKs reach floor 2 from the router.
    const d = createDissection();
    const forwarded = frames.filter(({ frame }) => dissect(frame, d) && d.srcMac === routerMac && (d.tcpFlags & 0x12) === 0x12);
    expect(forwarded.length).toBeGreaterThan(0);
    expect(table.values(`mac:${router?.mac ?? ''}`, 'service')).toEqual([]);
  });

  it('does not make devices of the other floor, seen only through the router', () => {
    const { hospital, table } = coreFor('2');
    for (const d of hospital.devices.filter((x) => x.floor === '1')) expect(table.get(`mac:${d.mac}`)).toBeUndefined();
  });

  it('counts cut and random frames by reason and carries on', () => {
    const { core, frames } = coreFor('1');
    const before = core.snapshot();
    expect(before.malformed).toBe(0);
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) >>> 0) & 0xff;
    for (const { frame } of frames.slice(0, 200)) core.onFrame(frame, 20, 0);
    for (let i = 0; i < 200; i++) core.onFrame(Uint8Array.from({ length: 1 + (i % 80) }, random), 1 + (i % 80), 0);
    const after = core.snapshot();
    expect(after.packets).toBe(before.packets + 400);
    expect(after.malformed).toBeGreaterThan(200);
    expect(Object.keys(after.weird)).toContain('truncated_ethernet');
    expect(Object.values(after.weird).reduce((a, b) => a + b, 0)).toBe(after.malformed);
  });
});

describe('identity from medical protocols', () => {
  it('credits a DICOM association to each side: the modality as calling AE with its software and SOP classes, the archive as called AE', () => {
    const { hospital, table } = coreFor('2');
    const ct = hospital.devices.find((d) => d.category === 'ct');
    const key = `mac:${ct?.mac ?? ''}` as const;
    expect(table.values(key, 'dicom.callingAe').length).toBe(1);
    // GE Healthcare's implementation-UID root (IDENT-NOTES), as the simulated CT sends it.
    expect(table.values(key, 'dicom.implementationClassUid')[0]).toMatch(/^1\.2\.840\.113619\./);
    expect(table.values(key, 'dicom.implementationVersion')).toEqual(['REVO_CT_22.10']);
    expect(table.values(key, 'dicom.abstractSyntax')).toContain('1.2.840.10008.5.1.4.1.1.2'); // CT Image Storage
    // The archive is on floor 1: its answers reach floor 2 through the router, which must get none of it.
    const router = hospital.infrastructure.find((g) => g.floor === '2');
    expect(table.values(`mac:${router?.mac ?? ''}`, 'dicom.calledAe')).toEqual([]);
    expect(table.values(`mac:${router?.mac ?? ''}`, 'dicom.implementationClassUid')).toEqual([]);
  });

  it("reads HL7 headers from the monitors that send them, and credits the engine's acknowledgements to the engine", () => {
    const { hospital, table } = coreFor('1');
    const monitors = hospital.devices.filter((d) => d.category === 'patient-monitor' && d.floor === '1');
    expect(monitors.length).toBeGreaterThan(0);
    for (const monitor of monitors) {
      const key = `mac:${monitor.mac}` as const;
      expect(table.values(key, 'hl7.sendingApplication')).toEqual([(monitor.model ?? '').toUpperCase().replace(/\s+/g, '_')]);
      expect(table.values(key, 'hl7.messageType')[0]).toMatch(/^ORU\^R01/);
    }
    const engine = hospital.devices.find((d) => d.category === 'hl7-interface-engine');
    expect(table.values(`mac:${engine?.mac ?? ''}`, 'hl7.messageType')[0]).toMatch(/^ACK/);
  });
});

describe('repeated HL7 headers', () => {
  it('reads a sender\'s header once per refresh interval, and a changed header at once', () => {
    const table = new DeviceTable({ refreshMs: 60_000 });
    const tracker = new IdentityTracker(table);
    const d = createDissection();
    const feed = (frame: Uint8Array, ts: number) => {
      expect(dissect(frame, d)).toBe(true);
      tracker.onFrame(frame, d, ts, false);
    };
    feed(TCP_HL7_PUSH, 1000);
    const first = tracker.apps.reported.get('hl7') ?? 0;
    expect(first).toBeGreaterThan(0);
    feed(TCP_HL7_PUSH, 2000); // same header: already read
    expect(tracker.apps.reported.get('hl7')).toBe(first);
    // MSH-4 sending facility ICU → ICV: a new header is read at once.
    const changed = TCP_HL7_PUSH.slice();
    changed[changed.length - 4] = 0x56;
    feed(changed, 3000);
    expect(table.values('mac:00:09:fb:1a:2b:3c', 'hl7.sendingFacility')).toEqual(['ICU', 'ICV']);
    feed(TCP_HL7_PUSH, 62_000); // the interval has passed: read again
    expect(tracker.apps.reported.get('hl7') ?? 0).toBeGreaterThan(first + 2);
  });
});

describe('identity from the web', () => {
  it('reads what clients send (User-Agent, Host, SNI, ALPN, JA4) and what servers answer (Server), each to its sender', () => {
    const { hospital, table } = coreFor('1');
    const workstation = hospital.devices.find((d) => d.category === 'workstation' && d.floor === '1');
    const key = `mac:${workstation?.mac ?? ''}` as const;
    expect(table.values(key, 'http.userAgent')[0]).toMatch(/^Mozilla\/5\.0 \(Windows NT 10\.0/);
    expect(table.values(key, 'tls.sni').length).toBeGreaterThan(0);
    // JA4 (FoxIO spec): TCP, TLS 1.3, SNI to a domain, cipher and extension counts, ALPN h2.
    expect(table.values(key, 'tls.ja4')[0]).toMatch(/^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
    const pacs = hospital.devices.find((d) => d.category === 'pacs');
    expect(table.values(`mac:${pacs?.mac ?? ''}`, 'http.server')[0]).toMatch(/dcm4chee-arc/);
    expect(table.values(`mac:${pacs?.mac ?? ''}`, 'http.userAgent')).toEqual([]);
  });
});

describe('identity from names', () => {
  /** A multicast DNS response from a monitor (00:09:fb:1a:2b:3c, 10.20.0.55) to 224.0.0.251:5353. */
  function mdnsFrame(payload: Uint8Array): Uint8Array {
    const udp = packets.udpDatagram({ src: '10.20.0.55', dst: '224.0.0.251', srcPort: 5353, dstPort: 5353, payload });
    const ip = packets.ipv4Packet({ src: '10.20.0.55', dst: '224.0.0.251', protocol: 17, payload: udp, id: 1, ttl: 255 });
    return packets.ethernetFrame({ dst: '01:00:5e:00:00:fb', src: '00:09:fb:1a:2b:3c', etherType: 0x0800, payload: ip });
  }

  it('credits a multicast DNS answer\'s services, instance, host name and TXT keys to the device that answers', () => {
    const table = new DeviceTable();
    const tracker = new IdentityTracker(table);
    const d = createDissection();
    const frame = mdnsFrame(MDNS_RESPONSE);
    expect(dissect(frame, d)).toBe(true);
    tracker.onFrame(frame, d, 1000, false);
    const key = 'mac:00:09:fb:1a:2b:3c' as const;
    expect(table.values(key, 'mdns.service')).toEqual(['_ipp._tcp']);
    expect(table.values(key, 'mdns.instance')).toEqual(['Monitor 12']);
    expect(table.values(key, 'mdns.hostname')).toEqual(['mon12.local']);
    // RFC 6763 §6.4: a key without a value, a string without a key and a repeated key say nothing.
    expect(table.values(key, 'mdns.txt').sort()).toEqual(['1', 'Patient Monitor']);
    const fact = table.get(key)?.facts['mdns.txt']?.['Patient Monitor'];
    expect(fact?.signal).toBe('mdns.txt.ty');
  });
});

describe('identity from link-layer discovery', () => {
  function read(frame: Uint8Array): DeviceTable {
    const table = new DeviceTable();
    const tracker = new IdentityTracker(table);
    const d = createDissection();
    expect(dissect(frame, d)).toBe(true);
    tracker.onFrame(frame, d, 1000, false);
    return table;
  }

  it('credits an LLDP advertisement\'s system name, description and enabled capabilities to the switch', () => {
    const table = read(LLDP_SWITCH);
    const key = 'mac:00:00:0c:9f:0a:11'; // the advertising port's source address
    expect(table.values(key, 'lldp.systemName')).toEqual(['icu-sw-03']);
    expect(table.values(key, 'lldp.systemDescription')).toEqual(['ExampleOS 15.2\nward switch']);
    expect(table.values(key, 'lldp.capabilities')).toEqual(['bridge']); // enabled, not all it could do
  });

  it('credits a CDP advertisement\'s platform and software version to the phone', () => {
    const table = read(CDP_PHONE);
    expect(table.values('mac:00:1b:54:11:22:33', 'cdp.platform')).toEqual(['Cisco IP Phone 8845']);
    expect(table.values('mac:00:1b:54:11:22:33', 'cdp.softwareVersion')).toEqual(['Cisco IP Phone\r\nSIP 14.1(1)']);
  });
});
