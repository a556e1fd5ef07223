/**
 * What the TLS/HTTP comparison with tshark (./tls-http.test.ts) expects of each shared capture: the
 * counts it must reach, and where we knowingly differ from tshark, with the reason.
 */
import type { Exception } from './harness.js';

/**
 * Per capture: field values compared (frame × field, agreeing or not), frames whose certificates
 * we read, and ClientHellos read (over TCP and QUIC). A capture not listed has none, for tshark as
 * for us (ARP, DHCP, LLDP/CDP, NetBIOS/SMB, SNMP, NTP, SSH, HL7, DICOM…; SSDP is compared in
 * ./names.test.ts).
 */
export const TLS_HTTP_COUNTS: Record<string, { compared: number; certificateFrames: number; hellos: number }> = {
  'devid/tls/ndpi_443-curl.pcap': { compared: 9, certificateFrames: 1, hellos: 1 },
  'devid/tls/ndpi_443-safari.pcap': { compared: 9, certificateFrames: 1, hellos: 1 },
  'devid/tls/ndpi_ja3_lots_of_cipher_suites.pcap': { compared: 6, certificateFrames: 1, hellos: 1 },
  'devid/tls/ndpi_tls_ech.pcapng': { compared: 6, certificateFrames: 0, hellos: 1 },
  'devid/tls/ndpi_tls_with_huge_ch.pcapng': { compared: 5, certificateFrames: 0, hellos: 1 },
  'devid/tls/zeek_tls_chrome-1250-tls-x25519-kyber.pcap': { compared: 6, certificateFrames: 0, hellos: 1 },
  'devid/tls/zeek_tls_chrome-34-google.pcap': { compared: 9, certificateFrames: 1, hellos: 1 },
  'devid/tls/zeek_tls_openjdk-25.0.2-zeek.org.pcap': { compared: 6, certificateFrames: 0, hellos: 1 },
  'devid/tls/zeek_tls_tls1.2.pcap': { compared: 6, certificateFrames: 1, hellos: 1 },
  'devid/tls/zeek_tls_tls13draft23-chrome67.0.3368.0-canary.pcap': { compared: 6, certificateFrames: 0, hellos: 1 },
  'devid/tls-ja4/browsers-x509.pcapng': { compared: 27, certificateFrames: 3, hellos: 3 },
  'devid/tls-ja4/http-empty-useragent.pcap': { compared: 1, certificateFrames: 0, hellos: 0 },
  'devid/tls-ja4/http1.pcapng': { compared: 194, certificateFrames: 0, hellos: 0 },
  'devid/tls-ja4/latest.pcapng': { compared: 41, certificateFrames: 4, hellos: 5 },
  'devid/tls-ja4/macos_tcp_flags.pcap': { compared: 6, certificateFrames: 0, hellos: 1 },
  'devid/tls-ja4/tls-alpn-h2.pcap': { compared: 9, certificateFrames: 1, hellos: 1 },
  'devid/tls-ja4/tls-handshake.pcapng': { compared: 519, certificateFrames: 6, hellos: 84 },
  'devid/tls-ja4/tls-non-ascii-alpn.pcapng': { compared: 6, certificateFrames: 0, hellos: 1 },
  'devid/tls-ja4/tls-sni.pcapng': { compared: 335, certificateFrames: 0, hellos: 84 },
  'devid/tls-ja4/tls12.pcap': { compared: 4, certificateFrames: 0, hellos: 1 },
  'devid/http-ua/ndpi_android.pcap': { compared: 129, certificateFrames: 5, hellos: 18 },
  'devid/http-ua/ndpi_http_ua_splitted_in_two_pkts.pcapng': { compared: 111, certificateFrames: 0, hellos: 0 },
  'devid/http-ua/ndpi_iphone.pcap': { compared: 114, certificateFrames: 7, hellos: 14 },
  'devid/http-ua/zeek_http_get.pcap': { compared: 4, certificateFrames: 0, hellos: 0 },
  'devid/http-ua/zeek_wikipedia.pcap': { compared: 45, certificateFrames: 0, hellos: 0 },
  'devid/iot-vendor/ndpi_xiaomi.pcap': { compared: 3, certificateFrames: 0, hellos: 0 },
  'devid/mdns-ssdp-upnp/ndpi_sonos.pcapng': { compared: 7, certificateFrames: 1, hellos: 1 },
  'devid/misc/ndpi_os_detected.pcapng': { compared: 3, certificateFrames: 0, hellos: 1 },
  'medical-protocols/synthetic_philips_demo.pcap': { compared: 6, certificateFrames: 0, hellos: 2 },
  'iomt-devices/babymonitor__wifi__2_2.pcap': { compared: 35, certificateFrames: 1, hellos: 1 },
  'iomt-devices/babymonitor__wifi__3_2.pcap': { compared: 63, certificateFrames: 1, hellos: 1 },
  'iomt-devices/fitbitfitness__wifi__3_2.pcap': { compared: 38, certificateFrames: 0, hellos: 6 },
  'iomt-devices/guardianalertsystem__4_3.pcap': { compared: 35, certificateFrames: 3, hellos: 5 },
  'iomt-devices/guardianalertsystem__7_2.pcap': { compared: 7, certificateFrames: 1, hellos: 1 },
  'iomt-devices/kardiamobile__2_2.pcap': { compared: 158, certificateFrames: 0, hellos: 35 },
  'iomt-devices/ketoscanketonemeter__wifi__2_4.pcap': { compared: 51, certificateFrames: 3, hellos: 7 },
  'iomt-devices/withing_wifi__02_07.pcap': { compared: 18, certificateFrames: 0, hellos: 3 },
  'iomt-devices/withing_wifi__03_03.pcap': { compared: 5, certificateFrames: 0, hellos: 1 },
  'iomt-devices/withing_wifi__12_07.pcap': { compared: 12, certificateFrames: 0, hellos: 2 },
  'iomt-devices/withingsbpm__wifi__8_3.pcap': { compared: 6, certificateFrames: 0, hellos: 1 },
  'iomt-devices/wyzescale__wifi__3_5.pcap': { compared: 228, certificateFrames: 20, hellos: 28 },
  'iomt-devices/wyzescale__wifi__4_4.pcap': { compared: 155, certificateFrames: 16, hellos: 18 },
};

/** The authorityKeyIdentifier of a certificate names its issuer's issuer as a directoryName. */
const AUTHORITY_CERT_ISSUER =
  "a certificate's authorityKeyIdentifier carries authorityCertIssuer, a directoryName (RFC 5280 §4.2.1.1): tshark shows its attributes too, we read each certificate's issuer and subject names only";
/** A stapled OCSP response carries the responder's certificate. */
const STAPLED_OCSP =
  "the frame's CertificateStatus (stapled OCSP, RFC 6066 §8) carries the OCSP responder's certificate: tshark shows its names, we do not read CertificateStatus";
const NAMES = 'x509sat.* (issuer and subject attribute values)';

/** Both certificate-name comparisons at one frame, for one reason. */
function certificateNames(file: string, frame: number, reason: string): Exception[] {
  return [
    { file, frame, field: 'x509sat.CountryName', reason },
    { file, frame, field: NAMES, reason },
  ];
}

export const TLS_HTTP_EXCEPTIONS: Exception[] = [
  ...certificateNames('devid/tls/ndpi_ja3_lots_of_cipher_suites.pcap', 7, AUTHORITY_CERT_ISSUER),
  ...certificateNames('devid/tls/zeek_tls_tls1.2.pcap', 8, AUTHORITY_CERT_ISSUER),
  ...certificateNames('devid/tls-ja4/browsers-x509.pcapng', 8, STAPLED_OCSP),
  ...certificateNames('devid/tls-ja4/latest.pcapng', 163, STAPLED_OCSP),
  ...certificateNames('devid/tls-ja4/latest.pcapng', 197, STAPLED_OCSP),
  ...[108, 186, 247, 273, 333].flatMap((frame) => certificateNames('devid/http-ua/ndpi_iphone.pcap', frame, STAPLED_OCSP)),
  ...[34, 38].flatMap((frame) => certificateNames('iomt-devices/guardianalertsystem__4_3.pcap', frame, AUTHORITY_CERT_ISSUER)),
];
