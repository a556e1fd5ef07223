/**
 * The features of one device in one capture, for learned fingerprints (`wardsight fingerprints
 * learn`): discrete tokens (what its packets say: DHCP options, names queried and announced, HTTP
 * and TLS client heads, SSDP headers, ports, protocols, TCP SYN layout, its maker's OUI), numbers
 * (IoT Sentinel's header features of its first packets, totals and sizes per direction) and its
 * packet sequence. Features never hold the unit's own address (MAC, IP, client id) or serials:
 * they must recognise another unit of the same model.
 *
 * The device is the one named by MAC; else, in captures with Ethernet addresses, the MAC that sends
 * most; else (raw IP, loopback, cooked captures) the local address (RFC 1918, link-local, unique
 * local) that sends most, or the address that sends most when none is local.
 */
import { readCaptureFile } from '../capture/file-reader.js';
import { EdgeError } from '../errors.js';
import { ipv4ToString, ipv6ToString } from '../decoders/address-text.js';
import { u8 } from '../decoders/bytes.js';
import { APP_NONE, L3_ARP, L3_IPV4, L3_IPV6, L4_ICMP, L4_ICMPV6, L4_NONE, L4_TCP, L4_UDP } from '../decoders/registry.js';
import { TCP_SYN } from '../decoders/tcp.js';
import { createDissection, dissectLink, LINK_TYPES, type Dissection } from '../dissect.js';
import { PacketProfile, packetKind, kindName } from './learned-packets.js';
import { macHex, macSpellings } from '@wardsight/classify';
import { StreamPrefixes } from './learned-streams.js';
import { DeviceTokens, type SignalSeen } from './learned-tokens.js';
import { initialTtl } from './tcp-signature.js';
import { chooseDevice, type DeviceChoice } from './learned-subject.js';
import { lookupVendor } from './vendor.js';

/** One device's features in one capture. */
export interface DeviceFeatures {
  /** `name=value` tokens, deduplicated, in the order first seen. */
  tokens: string[];
  /** Numeric features, the same names for every capture. */
  numbers: Record<string, number>;
  /** The first packets to and from the device as `>kind size-class` / `<kind size-class` symbols. */
  sequence: string[];
}

/** Features and which device of the capture they describe. */
export interface CaptureFeatures extends DeviceFeatures {
  /** The device chosen (for messages only: never part of the features). */
  subject: DeviceChoice;
  /**
   * What the device said, named and written as the sensor reports it (for the rule library; never
   * part of a saved model: values are as sent, the unit's own names included).
   */
  signals: SignalSeen[];
  /** Why the capture file ended early (its whole frames before the damage were read), or null. */
  damaged: string | null;
}

/** One captured frame. */
export interface CapturedFrame {
  bytes: Uint8Array;
  /** tcpdump.org LINKTYPE_* of the frame. */
  linkType: number;
  tsMs: number;
}

export interface DeviceSelector {
  /** The device's MAC (`aa:bb:cc:dd:ee:ff`, any separators or none); chosen automatically if absent. */
  mac?: string | null;
}

/** Frames read from one capture; a longer capture is described by its first frames. */
export const MAX_CAPTURE_FRAMES = 200_000;

const DYNAMIC_PORTS = 49152; // RFC 6335 §6

/** The service side of a UDP exchange: the lower port, unless both are dynamic. */
function udpService(d: Dissection): string {
  const port = Math.min(d.srcPort, d.dstPort);
  return port >= DYNAMIC_PORTS ? 'dynamic' : String(port);
}

function addressText(buf: Uint8Array, d: Dissection, source: boolean): string {
  if (d.l3 === L3_IPV4) return ipv4ToString(source ? d.ipSrc : d.ipDst);
  const at = source ? d.ip6SrcOffset : d.ip6DstOffset;
  // An IPv6 header that failed to decode leaves its address offsets at -1.
  if (d.l3 === L3_IPV6 && at >= 0) return ipv6ToString(buf, at);
  return '';
}

/**
 * Group destinations (multicast and broadcast) are the same for every unit: kept as tokens. A
 * solicited-node group (RFC 4291 §2.7.1) ends in the low 24 bits of an address, which SLAAC takes
 * from the MAC: it is kept as its prefix only.
 */
function groupDestination(text: string, d: Dissection): string | null {
  if (d.l3 === L3_IPV4 && (d.ipDst >>> 28 === 0xe || d.ipDst === 0xffffffff)) return text;
  if (d.l3 === L3_IPV6 && text.startsWith('ff')) return /^ff02::1:ff/i.test(text) ? 'ff02::1:ff00:0/104' : text;
  return null;
}

class FeatureBuilder {
  readonly tokens: DeviceTokens;
  readonly profile = new PacketProfile();
  readonly streams = new StreamPrefixes();

  constructor(mac: number | null) {
    this.tokens = new DeviceTokens(mac === null ? null : macSpellings(macHex(mac)));
    const vendor = mac === null ? null : lookupVendor(mac);
    if (mac !== null && vendor !== null) {
      // The maker's block (OUI), never the unit's own part of the address.
      this.tokens.add('oui.block', vendor.assignment);
      this.tokens.signal('oui', vendor.organisation);
    }
  }

  frame(buf: Uint8Array, d: Dissection, size: number, tsMs: number, sent: boolean): void {
    const src = addressText(buf, d, true);
    const dst = addressText(buf, d, false);
    this.profile.add(buf, d, size, tsMs, sent, sent ? dst : src);
    if (d.l4 === L4_TCP) this.streams.add(buf, d, sent, src, dst);
    if (sent) this.sentFrame(buf, d, dst, tsMs);
  }

  private sentFrame(buf: Uint8Array, d: Dissection, dst: string, tsMs: number): void {
    const t = this.tokens;
    if (d.app !== APP_NONE) t.payload(buf, d, tsMs);
    const kind = kindName(packetKind(buf, d));
    t.add('sent', kind);
    if (d.etherType !== 0 && d.etherType <= 1500 && d.payloadLength >= 2) t.add('llc', `${u8(buf, d.payloadOffset).toString(16)}/${u8(buf, d.payloadOffset + 1).toString(16)}`);
    if (d.l3 === L3_ARP) t.add('arp', d.arpSenderIp === 0 ? 'probe' : d.arpSenderIp === d.arpTargetIp ? 'announce' : `op${d.arpOp}`);
    if (d.l3 !== L3_IPV4 && d.l3 !== L3_IPV6) return;
    t.add('ip.ttl', initialTtl(d.ttl));
    const group = groupDestination(dst, d);
    if (group !== null) t.add('group', group);
    const end = d.payloadOffset + d.payloadLength;
    if (d.l4 === L4_UDP) {
      t.add('udp', udpService(d));
      if (kind === 'dhcp') t.dhcp(buf, d.payloadOffset, d.payloadLength);
      else if (kind === 'ntp') t.ntp(buf, d.payloadOffset, end);
    } else if (d.l4 === L4_TCP) {
      if ((d.tcpFlags & TCP_SYN) !== 0) t.tcpSyn(buf, d);
    } else if (d.l4 === L4_ICMP || d.l4 === L4_ICMPV6) {
      t.add(kind, `${d.icmpType}/${d.icmpCode}`);
    } else if (kind === 'igmp' && d.payloadLength > 0) {
      t.add('igmp', u8(buf, d.payloadOffset)); // RFC 3376 §4: type octet
    }
  }

  finish(): DeviceFeatures & { signals: SignalSeen[] } {
    for (const prefix of this.streams.prefixes()) {
      this.tokens.stream(prefix);
      if (prefix.sent) this.tokens.add('tcp.service', prefix.servicePort);
    }
    return { tokens: this.tokens.list(), numbers: this.profile.numbers(), sequence: this.profile.sequence, signals: this.tokens.signals() };
  }
}

/** The features of the device `selector` names (or the one chosen) in `frames`. */
export function extractDeviceFeatures(frames: readonly CapturedFrame[], selector: DeviceSelector = {}): CaptureFeatures {
  const d = createDissection();
  const subject = chooseDevice(frames, selector.mac ?? null, d);
  const builder = new FeatureBuilder(subject.by === 'mac' ? subject.mac : null);
  for (const frame of frames) {
    const buf = frame.bytes;
    if (!dissectLink(buf, d, frame.linkType, 0, buf.length)) {
      // Malformed past its addresses: counted as a packet, its upper layers not read.
      d.l4 = L4_NONE;
      d.payloadLength = 0;
    }
    let sent: boolean;
    let received: boolean;
    if (subject.by === 'mac') {
      sent = d.srcMac === subject.mac;
      received = d.dstMac === subject.mac;
    } else if (subject.by === 'ip') {
      sent = addressText(buf, d, true) === subject.address;
      received = !sent && addressText(buf, d, false) === subject.address;
    } else continue;
    if (sent || received) builder.frame(buf, d, buf.length, frame.tsMs, sent);
  }
  return { ...builder.finish(), subject, damaged: null };
}

/**
 * Reads a capture (any link type `dissectLink` reads) and extracts the device's features. A file
 * cut short (a last record incomplete, as when a capture is copied while written) gives the features
 * of its whole frames, with `damaged` saying why; a file that cannot be opened or is not a capture
 * throws.
 */
export async function readCaptureFeatures(path: string, selector: DeviceSelector = {}): Promise<CaptureFeatures> {
  const frames: CapturedFrame[] = [];
  let damaged: string | null = null;
  try {
    await readCaptureFile(
      path,
      (buf, offset, caplen, tsMs, linkType) => {
        if (frames.length < MAX_CAPTURE_FRAMES) frames.push({ bytes: Uint8Array.prototype.slice.call(buf, offset, offset + caplen), linkType, tsMs });
      },
      { linkTypes: LINK_TYPES },
    );
  } catch (err) {
    if (!(err instanceof EdgeError) || err.code !== 'EDGE_ERR_CAPTURE_FILE' || frames.length === 0) throw err;
    damaged = err.message;
  }
  return { ...extractDeviceFeatures(frames, selector), damaged };
}
