/** DHCP messages (RFC 2131) with their options (RFC 2132). */
import { concatBytes, checkRange, latin1, u16, u32, u8 } from './bytes.js';
import { ipv4Bytes, macBytes } from './address.js';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;

/** RFC 2132 §9.6: DHCP message type values. */
export const DHCP_DISCOVER = 1;
export const DHCP_OFFER = 2;
export const DHCP_REQUEST = 3;
export const DHCP_ACK = 5;

/** RFC 2132 option codes used here. */
export const OPTION = {
  subnetMask: 1,
  router: 3,
  hostname: 12,
  requestedIp: 50,
  leaseTime: 51,
  messageType: 53,
  serverId: 54,
  parameterRequestList: 55,
  vendorClassId: 60,
  clientId: 61,
  end: 255,
} as const;

/** RFC 2131 §3: the four octets 99.130.83.99 that begin the options field. */
export const MAGIC_COOKIE = Uint8Array.of(99, 130, 83, 99);

const BOOTREQUEST = 1;
const BOOTREPLY = 2;

export interface DhcpOption {
  code: number;
  value: Uint8Array;
}

export interface DhcpMessageFields {
  op: typeof BOOTREQUEST | typeof BOOTREPLY;
  xid: number;
  secs?: number;
  /** RFC 2131 §2 Figure 2: the leftmost bit of flags asks the server to broadcast its reply. */
  broadcast?: boolean;
  ciaddr?: string;
  yiaddr?: string;
  siaddr?: string;
  /** Relay agent address (RFC 2131 §4.1), set when a router relays the exchange. */
  giaddr?: string;
  chaddr: string;
  options: readonly DhcpOption[];
}

/**
 * RFC 2131 §2 Figure 1: op, htype 1, hlen 6, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr,
 * chaddr (16), sname (64), file (128), then the magic cookie and options ending with 255.
 */
export function dhcpMessage(fields: DhcpMessageFields): Uint8Array {
  const chaddr = new Uint8Array(16);
  chaddr.set(macBytes(fields.chaddr));
  const ip = (value: string | undefined): Uint8Array => ipv4Bytes(value ?? '0.0.0.0');
  return concatBytes([
    u8(fields.op),
    u8(1), // htype: Ethernet
    u8(6), // hlen
    u8(0), // hops
    u32(fields.xid),
    u16(fields.secs ?? 0),
    u16(fields.broadcast ? 0x8000 : 0),
    ip(fields.ciaddr),
    ip(fields.yiaddr),
    ip(fields.siaddr),
    ip(fields.giaddr),
    chaddr,
    new Uint8Array(64), // sname
    new Uint8Array(128), // file
    MAGIC_COOKIE,
    ...fields.options.map(encodeOption),
    u8(OPTION.end),
  ]);
}

/** RFC 2132 §2: code, length, value (at most 255 octets). */
function encodeOption(option: DhcpOption): Uint8Array {
  checkRange(option.value.length, 255, `DHCP option ${option.code} length`);
  return concatBytes([u8(option.code), u8(option.value.length), option.value]);
}

/** Option value helpers, each citing its RFC 2132 clause. */
export const dhcpOption = {
  /** §9.6 */
  messageType: (type: number): DhcpOption => ({ code: OPTION.messageType, value: u8(type) }),
  /** §3.14 */
  hostname: (name: string): DhcpOption => ({ code: OPTION.hostname, value: latin1(name) }),
  /** §9.1 */
  requestedIp: (ip: string): DhcpOption => ({ code: OPTION.requestedIp, value: ipv4Bytes(ip) }),
  /** §9.7 */
  serverId: (ip: string): DhcpOption => ({ code: OPTION.serverId, value: ipv4Bytes(ip) }),
  /** §9.8 */
  parameterRequestList: (codes: readonly number[]): DhcpOption => ({
    code: OPTION.parameterRequestList,
    value: Uint8Array.from(codes),
  }),
  /** §9.13 */
  vendorClassId: (text: string): DhcpOption => ({ code: OPTION.vendorClassId, value: latin1(text) }),
  /** §9.14: type 1 (Ethernet) followed by the hardware address. */
  clientId: (mac: string): DhcpOption => ({ code: OPTION.clientId, value: concatBytes([u8(1), macBytes(mac)]) }),
  /** §9.2, seconds */
  leaseTime: (seconds: number): DhcpOption => ({ code: OPTION.leaseTime, value: u32(seconds) }),
  /** §3.3 */
  subnetMask: (mask: string): DhcpOption => ({ code: OPTION.subnetMask, value: ipv4Bytes(mask) }),
  /** §3.5 */
  router: (ip: string): DhcpOption => ({ code: OPTION.router, value: ipv4Bytes(ip) }),
};

/** What a client says about itself in DISCOVER and REQUEST. */
export interface DhcpClientIdentity {
  mac: string;
  hostname: string;
  vendorClassId: string;
  parameterRequestList: readonly number[];
  broadcast: boolean;
}

/** What the server (through its relay) grants. */
export interface DhcpLease {
  ip: string;
  serverId: string;
  relay: string;
  subnetMask: string;
  router: string;
  leaseSeconds: number;
}

function clientOptions(client: DhcpClientIdentity): DhcpOption[] {
  return [
    dhcpOption.clientId(client.mac),
    dhcpOption.hostname(client.hostname),
    dhcpOption.vendorClassId(client.vendorClassId),
    dhcpOption.parameterRequestList(client.parameterRequestList),
  ];
}

/** RFC 2131 §4.4.1: the client broadcasts DHCPDISCOVER. */
export function dhcpDiscover(client: DhcpClientIdentity, xid: number): Uint8Array {
  const options = [dhcpOption.messageType(DHCP_DISCOVER), ...clientOptions(client)];
  return dhcpMessage({ op: BOOTREQUEST, xid, broadcast: client.broadcast, chaddr: client.mac, options });
}

/** RFC 2131 §4.4.1: DHCPREQUEST in SELECTING state names the chosen server and the offered address. */
export function dhcpRequest(client: DhcpClientIdentity, xid: number, lease: DhcpLease): Uint8Array {
  const options = [
    dhcpOption.messageType(DHCP_REQUEST),
    dhcpOption.requestedIp(lease.ip),
    dhcpOption.serverId(lease.serverId),
    ...clientOptions(client),
  ];
  return dhcpMessage({ op: BOOTREQUEST, xid, secs: 1, broadcast: client.broadcast, chaddr: client.mac, options });
}

/** RFC 2131 §4.3.1 / §4.3.2: DHCPOFFER and DHCPACK carry the lease, relayed through giaddr. */
export function dhcpReply(
  type: typeof DHCP_OFFER | typeof DHCP_ACK,
  client: DhcpClientIdentity,
  xid: number,
  lease: DhcpLease,
): Uint8Array {
  const options = [
    dhcpOption.messageType(type),
    dhcpOption.serverId(lease.serverId),
    dhcpOption.leaseTime(lease.leaseSeconds),
    dhcpOption.subnetMask(lease.subnetMask),
    dhcpOption.router(lease.router),
  ];
  return dhcpMessage({
    op: BOOTREPLY,
    xid,
    broadcast: client.broadcast,
    yiaddr: lease.ip,
    giaddr: lease.relay,
    chaddr: client.mac,
    options,
  });
}
