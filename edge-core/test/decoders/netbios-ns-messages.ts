/**
 * Hand-written NetBIOS name service packets (RFC 1002 §4.2), commented field by field, as UDP
 * payloads: a broadcast query for a PACS server's file-sharing name, the answer, a patient monitor's
 * name registration (its additional record names the question by pointer), and a node status
 * answer listing the monitor's names and MAC address.
 */
import { hex, text, zeros } from './hex.js';

/**
 * RFC 1001 §14.1 first-level encoding, written out: each octet as two letters 'A' + half-octet.
 * "PACS-SRV01" padded with spaces to 15, suffix 0x20 (file server):
 * P 50 FA, A 41 EB, C 43 ED, S 53 FD, - 2d CN, S FD, R 52 FC, V 56 FG, 0 30 DA, 1 31 DB, space 20 CA.
 */
export const PACS_SERVER_LABEL = '20' + text('FAEBEDFDCNFDFCFGDADB' + 'CACACACACA' + 'CA');
const PACS_SERVER = PACS_SERVER_LABEL + '00';
/** "MX450-2B3C" padded, suffix 0x00 (workstation): M 4d EN, X 58 FI, 4 34 DE, 5 35 DF, 0 30 DA, … */
const MONITOR = '20' + text('ENFIDEDFDACNDCECDDED' + 'CACACACACA' + 'AA') + '00';
/** "*" and fifteen NULs: the wildcard a node status request asks (RFC 1002 §4.2.17); * 2a CK. */
const WILDCARD = '20' + text('CK' + 'AA'.repeat(15)) + '00';

export const NBNS_QUERY = hex(
  // header (RFC 1002 §4.2.1.1)
  '80b1', // NAME_TRN_ID
  '0110', // R 0, OPCODE 0 query, NM_FLAGS RD and B (broadcast), RCODE 0
  '0001 0000 0000 0000', // QDCOUNT 1
  // question (§4.2.1.2)
  PACS_SERVER, // QUESTION_NAME PACS-SRV01<20>
  '0020', // QUESTION_TYPE NB
  '0001', // QUESTION_CLASS IN
);

export const NBNS_ANSWER = hex(
  '80b1', // NAME_TRN_ID, as asked
  '8500', // R 1, OPCODE 0, NM_FLAGS AA and RD, RCODE 0
  '0000 0001 0000 0000', // ANCOUNT 1
  // answer (§4.2.13)
  PACS_SERVER, // RR_NAME
  '0020', // RR_TYPE NB
  '0001', // RR_CLASS IN
  '000493e0', // TTL 300000 s
  '0006', // RDLENGTH: one ADDR_ENTRY
  '6000', // NB_FLAGS: G 0 (unique), ONT 3 (H node)
  '0a140002', // NB_ADDRESS 10.20.0.2
);

export const NBNS_REGISTRATION = hex(
  '2c0f', // NAME_TRN_ID
  '2910', // R 0, OPCODE 5 registration, NM_FLAGS RD and B
  '0001 0000 0000 0001', // QDCOUNT 1, ARCOUNT 1
  MONITOR, // QUESTION_NAME MX450-2B3C<00> at 12
  '0020 0001', // NB, IN
  // additional record (§4.2.2)
  'c00c', // RR_NAME: pointer to the question's name
  '0020 0001', // NB, IN
  '000493e0', // TTL 300000 s
  '0006', // RDLENGTH 6
  '0000', // NB_FLAGS: unique, B node
  '0a140037', // NB_ADDRESS 10.20.0.55
);

export const NBNS_NODE_STATUS = hex(
  'a041', // NAME_TRN_ID
  '8400', // R 1, OPCODE 0, AA
  '0000 0001 0000 0000', // ANCOUNT 1
  WILDCARD, // RR_NAME
  '0021', // RR_TYPE NBSTAT
  '0001', // RR_CLASS IN
  '00000000', // TTL 0
  '0053', // RDLENGTH 83 = 1 + 2 × 18 + 46 of statistics
  '02', // NUM_NAMES
  text('MX450-2B3C     ') + '00', // NETBIOS_NAME, suffix 0x00
  '0400', // NAME_FLAGS: unique, B node, ACT
  text('ICU            ') + '1e', // NETBIOS_NAME, suffix 0x1e (browser elections)
  '8400', // NAME_FLAGS: G (group), ACT
  '0009fb1a2b3c', // STATISTICS: UNIT_ID, the monitor's MAC
  zeros(40), // the rest of the statistics (§4.2.18: jumpers … session data packet size), zero
);
