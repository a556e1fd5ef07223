/**
 * Hand-written DNS messages (RFC 1035 §4.1), commented field by field, as UDP payloads: a unicast
 * query with EDNS(0), and the multicast DNS answer a patient monitor (10.20.0.55) gives when asked
 * for printers' and monitors' services, with DNS-SD PTR, SRV and TXT records (RFC 6763) and
 * compression pointers (§4.1.4) whose targets are noted by offset.
 */
import { hex, text } from './hex.js';

/** A label: its length octet, then its text (ASCII here). */
export function label(value: string): string {
  return value.length.toString(16).padStart(2, '0') + text(value);
}

export const DNS_QUERY = hex(
  // header (RFC 1035 §4.1.1)
  '1a2b', // ID
  '0100', // flags: QR 0 query, opcode 0, RD 1
  '0001', // QDCOUNT 1
  '0000', // ANCOUNT 0
  '0000', // NSCOUNT 0
  '0001', // ARCOUNT 1
  // question (§4.1.2)
  label('pump-17') + label('icu') + label('example') + '00', // QNAME pump-17.icu.example
  '0001', // QTYPE A
  '0001', // QCLASS IN
  // additional: OPT pseudo-record (RFC 6891 §6.1.2)
  '00', // NAME: the root
  '0029', // TYPE 41 OPT
  '1000', // CLASS: UDP payload size 4096
  '00000000', // TTL: extended RCODE 0, version 0, flags 0
  '0000', // RDLENGTH 0
);

export const MDNS_RESPONSE = hex(
  // header
  '0000', // ID 0 (RFC 6762 §18.1)
  '8400', // flags: QR 1 response, AA 1
  '0000', // QDCOUNT 0
  '0004', // ANCOUNT 4
  '0000', // NSCOUNT 0
  '0002', // ARCOUNT 2
  // answer 1 at 12: PTR
  label('_ipp') + label('_tcp') + label('local') + '00', // NAME _ipp._tcp.local ("local" at 22)
  '000c', // TYPE PTR
  '0001', // CLASS IN
  '00001194', // TTL 4500
  '000d', // RDLENGTH 13
  label('Monitor 12') + 'c00c', // RDATA at 39: "Monitor 12" then a pointer to 12
  // answer 2 at 52: SRV (RFC 2782)
  'c027', // NAME: pointer to 39, Monitor 12._ipp._tcp.local
  '0021', // TYPE SRV
  '8001', // CLASS IN with the cache-flush bit (RFC 6762 §10.2)
  '00000078', // TTL 120
  '000e', // RDLENGTH 14
  '0000', // priority 0
  '0000', // weight 0
  '0277', // port 631
  label('mon12') + 'c016', // target at 70: "mon12" then a pointer to "local" at 22
  // answer 3 at 78: TXT (RFC 6763 §6)
  'c027', // NAME: pointer to 39
  '0010', // TYPE TXT
  '8001', // CLASS IN, cache flush
  '00001194', // TTL 4500
  '002d', // RDLENGTH 45
  label('txtvers=1'), // key=value
  label('ty=Patient Monitor'), // a value with a space
  label('note'), // a boolean attribute (§6.4)
  label('=x'), // no key: ignored (§6.4)
  label('TY=dup'), // the key "ty" again, in another case: ignored (§6.4)
  '00', // an empty string
  // answer 4 at 135: A
  'c046', // NAME: pointer to 70, mon12.local
  '0001', // TYPE A
  '8001', // CLASS IN, cache flush
  '00000078', // TTL 120
  '0004', // RDLENGTH 4
  '0a140037', // 10.20.0.55
  // additional 1 at 151: AAAA (RFC 3596)
  'c046', // NAME mon12.local
  '001c', // TYPE AAAA
  '8001', // CLASS IN, cache flush
  '00000078', // TTL 120
  '0010', // RDLENGTH 16
  'fe80 0000 0000 0000 0209 fbff fe1a 2b3c', // fe80::209:fbff:fe1a:2b3c
  // additional 2 at 179: NSEC (RFC 6762 §6.1), not read
  'c046', // NAME mon12.local
  '002f', // TYPE NSEC
  '8001', // CLASS IN, cache flush
  '00000078', // TTL 120
  '0008', // RDLENGTH 8
  'c046', // next domain name: mon12.local
  '00 04 40000008', // window 0, bitmap length 4: A and AAAA
);

export const MDNS_QU_QUERY = hex(
  '0000 0000', // ID 0, flags 0: a query
  '0001 0000 0000 0000', // QDCOUNT 1
  label('_http') + label('_tcp') + label('local') + '00', // QNAME _http._tcp.local
  '000c', // QTYPE PTR
  '8001', // QCLASS IN with the unicast-response bit (RFC 6762 §5.4)
);
