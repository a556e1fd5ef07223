/**
 * Hand-written frames of one device for the learned-feature tests, commented field by field: the
 * patient monitor of the DHCP fixtures (MAC 00:09:fb:1a:2b:3c, 10.20.0.55) asks a server
 * (10.30.0.10) for `/register` in a request cut over two TCP segments, with its MAC and a token in
 * the query; the server answers; the monitor announces itself over multicast DNS with its serial in
 * a TXT record. Checksums are 0: the dissector does not verify them.
 */
import { hex, text } from '../decoders/hex.js';

export const DEVICE_MAC = '00:09:fb:1a:2b:3c';

/** The first segment of the request, after the SYN of `TCP_SYN` (sequence 0x6b8b4567 + 1). */
export const HTTP_GET_FIRST = hex(
  '00005e000114', // Ethernet destination: the gateway
  '0009fb1a2b3c', // source: the monitor
  '0800', // EtherType: IPv4
  '45', // IPv4: version 4, IHL 5
  '00', // DSCP 0
  '007d', // total length 125 = 20 + 20 + 85
  '4d2f', // identification
  '4000', // flags DF
  '40', // TTL 64
  '06', // protocol TCP
  '0000', // header checksum (not verified)
  '0a140037', // source 10.20.0.55
  '0a1e000a', // destination 10.30.0.10
  'c000', // TCP source port 49152
  '0a0f', // destination port 2575
  '6b8b4568', // sequence number: the SYN's + 1
  '00000001', // acknowledgment number
  '50', // data offset 5 (20 octets)
  '18', // flags PSH, ACK
  'faf0', // window 64240
  '0000', // checksum (not verified)
  '0000', // urgent pointer
  text('GET /register?serial=0009FB1A2B3C&token=A1B2C3D4E5F6A7B8 HTTP/1.1\r\nHost: 10.30.0.10\r\n'), // 85 octets
);

/** The rest of the request head. */
export const HTTP_GET_REST = hex(
  '00005e000114', // Ethernet destination: the gateway
  '0009fb1a2b3c', // source: the monitor
  '0800', // EtherType: IPv4
  '45', // IPv4: version 4, IHL 5
  '00', // DSCP 0
  '0041', // total length 65 = 20 + 20 + 25
  '4d30', // identification
  '4000', // flags DF
  '40', // TTL 64
  '06', // protocol TCP
  '0000', // header checksum
  '0a140037', // source 10.20.0.55
  '0a1e000a', // destination 10.30.0.10
  'c000', // TCP source port 49152
  '0a0f', // destination port 2575
  '6b8b45bd', // sequence number: 0x6b8b4568 + 85
  '00000001', // acknowledgment number
  '50', // data offset 5
  '18', // flags PSH, ACK
  'faf0', // window
  '0000', // checksum
  '0000', // urgent pointer
  text('User-Agent: MX450/2.1\r\n\r\n'), // 25 octets
);

/** The server's answer. */
export const HTTP_RESPONSE = hex(
  '0009fb1a2b3c', // Ethernet destination: the monitor
  '00005e000114', // source: the gateway
  '0800', // EtherType: IPv4
  '45', // IPv4: version 4, IHL 5
  '00', // DSCP 0
  '005d', // total length 93 = 20 + 20 + 53
  '1234', // identification
  '4000', // flags DF
  '3e', // TTL 62 (two routers away)
  '06', // protocol TCP
  '0000', // header checksum
  '0a1e000a', // source 10.30.0.10
  '0a140037', // destination 10.20.0.55
  '0a0f', // TCP source port 2575
  'c000', // destination port 49152
  '00000001', // sequence number
  '6b8b45d6', // acknowledgment: everything the monitor sent
  '50', // data offset 5
  '18', // flags PSH, ACK
  'ffff', // window
  '0000', // checksum
  '0000', // urgent pointer
  text('HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n'), // 53 octets
);

/** A multicast DNS announcement (RFC 6762 §8.3) of the monitor's web service (RFC 6763). */
export const MDNS_ANNOUNCEMENT = hex(
  '01005e0000fb', // Ethernet destination: the mDNS group's MAC
  '0009fb1a2b3c', // source: the monitor
  '0800', // EtherType: IPv4
  '45', // IPv4: version 4, IHL 5
  '00', // DSCP 0
  '0076', // total length 118 = 20 + 8 + 90
  '0000', // identification
  '4000', // flags DF
  'ff', // TTL 255 (RFC 6762 §11)
  '11', // protocol UDP
  '0000', // header checksum
  '0a140037', // source 10.20.0.55
  'e00000fb', // destination 224.0.0.251
  '14e9', // UDP source port 5353
  '14e9', // destination port 5353
  '0062', // length 98 = 8 + 90
  '0000', // checksum
  // DNS header (RFC 1035 §4.1.1), message offset 0
  '0000', // ID 0 (RFC 6762 §18.1)
  '8400', // flags: QR response, AA
  '0000', // QDCOUNT 0
  '0002', // ANCOUNT 2
  '0000', // NSCOUNT 0
  '0000', // ARCOUNT 0
  // answer 1 at offset 12: _http._tcp.local PTR MX450._http._tcp.local
  '05' + text('_http') + '04' + text('_tcp') + '05' + text('local') + '00', // owner, 18 octets
  '000c', // TYPE PTR
  '0001', // CLASS IN
  '00001194', // TTL 4500
  '0008', // RDLENGTH 8
  '05' + text('MX450') + 'c00c', // at offset 40: "MX450" then a pointer to offset 12
  // answer 2 at offset 48: MX450._http._tcp.local TXT
  'c028', // owner: pointer to offset 40
  '0010', // TYPE TXT
  '8001', // CLASS IN with the cache-flush bit
  '00001194', // TTL 4500
  '001e', // RDLENGTH 30
  '0b' + text('model=MX450'), // character-string, 11 octets
  '11' + text('serial=SN12345678'), // character-string, 17 octets
);
