/**
 * Hand-written TLS streams (RFC 8446 §5.1 records carrying §4 handshake messages; RFC 5246 for
 * TLS 1.2), commented field by field: what an infusion pump's client and its server send.
 */
import { hex, text } from './hex.js';

/** 32 octets of a hello's random. */
const RANDOM = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

/** A TLS 1.3 ClientHello in one record, with GREASE (RFC 8701) in several lists. */
export const CLIENT_HELLO_13 = hex(
  // record (RFC 8446 §5.1)
  '16', // content type 22 handshake
  '0301', // legacy_record_version TLS 1.0
  '0099', // length 153
  // handshake (RFC 8446 §4)
  '01', // msg_type 1 client_hello
  '000095', // length 149
  // ClientHello (RFC 8446 §4.1.2)
  '0303', // legacy_version TLS 1.2
  RANDOM, // random
  '08 5e55104e1d000001', // legacy_session_id: 8 octets
  '000a 2a2a 1301 1302 c02b 002f', // cipher_suites: 10 octets, GREASE first
  '01 00', // legacy_compression_methods: null
  '005a', // extensions: 90 octets
  '2a2a 0000', // GREASE extension, empty
  '0000 0013 0011 00 000e' + text('infusion.local'), // server_name: host_name "infusion.local"
  '0010 000e 000c 02' + text('h2') + '08' + text('http/1.1'), // ALPN: "h2", "http/1.1"
  '002b 0007 06 3a3a 0304 0303', // supported_versions: GREASE, TLS 1.3, TLS 1.2
  '000d 0008 0006 0403 0804 0401', // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
  '000a 0008 0006 4a4a 001d 0017', // supported_groups: GREASE, x25519, secp256r1
  '000b 0002 01 00', // ec_point_formats: uncompressed
  '0017 0000', // extended_master_secret, empty
);

/** A TLS 1.2 ClientHello split across two records after the cipher_suites length. */
export const CLIENT_HELLO_SPLIT = hex(
  // record 1
  '16 0303 0029', // handshake, TLS 1.2, length 41
  '01 00003b', // client_hello, length 59
  '0303', // legacy_version TLS 1.2
  RANDOM, // random
  '00', // legacy_session_id: empty
  '0004', // cipher_suites: 4 octets (continued in record 2)
  // record 2
  '16 0303 0016', // handshake, TLS 1.2, length 22
  'c02f 00ff', // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_EMPTY_RENEGOTIATION_INFO_SCSV
  '01 00', // legacy_compression_methods: null
  '000e', // extensions: 14 octets
  '0005 0005 01 0000 0000', // status_request: OCSP, no responder ids, no request extensions
  'ff01 0001 00', // renegotiation_info: empty
);

/** Two tiny DER values standing in for certificates (the TLS layer does not read DER). */
export const FIRST_CERTIFICATE = '3003020101'; // SEQUENCE { INTEGER 1 }
export const SECOND_CERTIFICATE = '3003020102'; // SEQUENCE { INTEGER 2 }

/** A TLS 1.2 server's flight in one record: ServerHello, Certificate, ServerHelloDone. */
export const SERVER_FLIGHT_12 = hex(
  '16 0303 005b', // handshake, TLS 1.2, length 91
  // ServerHello (RFC 5246 §7.4.1.3)
  '02 00003c', // server_hello, length 60
  '0303', // server_version TLS 1.2
  RANDOM, // random
  '00', // session_id: empty
  'c02f', // cipher_suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  '00', // compression_method null
  '0014', // extensions: 20 octets
  'ff01 0001 00', // renegotiation_info: empty
  '0010 0005 0003 02' + text('h2'), // ALPN: selected "h2"
  '000b 0002 01 00', // ec_point_formats: uncompressed
  // Certificate (RFC 5246 §7.4.2)
  '0b 000013', // certificate, length 19
  '000010', // certificate_list: 16 octets
  '000005' + FIRST_CERTIFICATE, // the server's certificate
  '000005' + SECOND_CERTIFICATE, // its issuer's
  // ServerHelloDone (RFC 5246 §7.4.5)
  '0e 000000', // server_hello_done, empty
);

/** Offset of the ChangeCipherSpec record in SERVER_HELLO_13. */
export const SERVER_HELLO_13_LENGTH = 103;

/** A TLS 1.3 ServerHello, then the middlebox-compatibility ChangeCipherSpec and encrypted records. */
export const SERVER_HELLO_13 = hex(
  '16 0303 0062', // handshake, TLS 1.2 (legacy), length 98
  '02 00005e', // server_hello, length 94
  '0303', // legacy_version TLS 1.2
  RANDOM, // random
  '08 5e55104e1d000001', // legacy_session_id_echo
  '1301', // cipher_suite TLS_AES_128_GCM_SHA256
  '00', // legacy_compression_method
  '002e', // extensions: 46 octets
  '002b 0002 0304', // supported_versions: selected TLS 1.3
  '0033 0024 001d 0020' + RANDOM, // key_share: x25519, 32-octet key
  // ChangeCipherSpec (RFC 8446 §5: compatibility mode)
  '14 0303 0001 01',
  // application_data: the encrypted rest of the handshake
  '17 0303 0005 aabbccddee',
);
