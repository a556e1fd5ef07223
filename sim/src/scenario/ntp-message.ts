/** NTPv4 client requests and server replies (RFC 5905 §7.3), 48 octets each. */
import { concatBytes, u32, u8 } from '../packets/bytes.js';
import { ipv4Bytes } from '../packets/address.js';

export const NTP_PORT = 123;

/** RFC 5905 Figure 7: the era-0 timestamp starts on 1900-01-01, 2,208,988,800 s before the Unix epoch. */
const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;
const VERSION = 4;
const MODE_CLIENT = 3;
const MODE_SERVER = 4;

/** §6 NTP timestamp format: 32-bit seconds, 32-bit fraction. */
function timestamp(micros: number): Uint8Array {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = Math.floor(((micros % 1_000_000) / 1_000_000) * 0x1_0000_0000);
  return concatBytes([u32((seconds + NTP_UNIX_OFFSET_SECONDS) >>> 0), u32(fraction >>> 0)]);
}

const ZERO_TIMESTAMP = new Uint8Array(8);

/** A client's request: LI 0, VN 4, mode 3, poll 2^10 s, only the transmit timestamp set (§8 "on-wire protocol"). */
export function ntpRequest(transmitMicros: number): Uint8Array {
  return concatBytes([
    u8((VERSION << 3) | MODE_CLIENT),
    u8(0), // stratum: unspecified
    u8(10), // poll
    u8(0xec), // precision: 2^-20 s, as a signed octet
    new Uint8Array(12), // root delay, root dispersion, reference id
    ZERO_TIMESTAMP, // reference
    ZERO_TIMESTAMP, // origin
    ZERO_TIMESTAMP, // receive
    timestamp(transmitMicros),
  ]);
}

/** The server's reply at stratum 2, its reference the upstream `referenceIp`, origin = the client's transmit time. */
export function ntpReply(requestMicros: number, receiveMicros: number, transmitMicros: number, referenceIp: string): Uint8Array {
  return concatBytes([
    u8((VERSION << 3) | MODE_SERVER),
    u8(2), // stratum
    u8(10),
    u8(0xe9), // precision: 2^-23 s
    u32(0x0000_0800), // root delay (16.16 s)
    u32(0x0000_0400), // root dispersion
    ipv4Bytes(referenceIp), // §7.3: for stratum 2+, the upstream server's address
    timestamp(receiveMicros - 64_000_000),
    timestamp(requestMicros),
    timestamp(receiveMicros),
    timestamp(transmitMicros),
  ]);
}
