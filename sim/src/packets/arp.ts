/** ARP for IPv4 over Ethernet (RFC 826): requests, replies and gratuitous announcements. */
import { concatBytes, u16, u8 } from './bytes.js';
import { ZERO_MAC, ipv4Bytes, macBytes } from './address.js';

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export interface ArpFields {
  operation: typeof ARP_REQUEST | typeof ARP_REPLY;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

/** RFC 826 "Packet format": hrd 1 (Ethernet), pro 0x0800, hln 6, pln 4, op, sha, spa, tha, tpa. */
export function arpPacket(fields: ArpFields): Uint8Array {
  return concatBytes([
    u16(1),
    u16(0x0800),
    u8(6),
    u8(4),
    u16(fields.operation),
    macBytes(fields.senderMac),
    ipv4Bytes(fields.senderIp),
    macBytes(fields.targetMac),
    ipv4Bytes(fields.targetIp),
  ]);
}

/** Who has `targetIp`? Tell `senderIp` — the target hardware address is unknown, so zero. */
export function arpRequest(senderMac: string, senderIp: string, targetIp: string): Uint8Array {
  return arpPacket({ operation: ARP_REQUEST, senderMac, senderIp, targetMac: ZERO_MAC, targetIp });
}

/** `senderIp` is at `senderMac`, answered to the requester. */
export function arpReply(senderMac: string, senderIp: string, targetMac: string, targetIp: string): Uint8Array {
  return arpPacket({ operation: ARP_REPLY, senderMac, senderIp, targetMac, targetIp });
}

/** RFC 5227 §3: an announcement is a request whose sender and target IP are both the host's own address. */
export function gratuitousArp(mac: string, ip: string): Uint8Array {
  return arpPacket({ operation: ARP_REQUEST, senderMac: mac, senderIp: ip, targetMac: ZERO_MAC, targetIp: ip });
}
