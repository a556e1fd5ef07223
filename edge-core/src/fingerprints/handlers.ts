/** Which fingerprint handler reads which application's payloads (kinds from the decoder registry). */
import {
  APP_CDP,
  APP_DHCPV6,
  APP_DICOM,
  APP_DNS,
  APP_FTP,
  APP_HL7,
  APP_HTTP,
  APP_LLDP,
  APP_NBNS,
  APP_SMTP,
  APP_SNMP,
  APP_SSDP,
  APP_SSH,
  APP_SYSLOG,
  APP_TELNET,
  APP_TLS,
  APP_WSD,
} from '../decoders/registry.js';
import type { Dissection } from '../dissect.js';
import type { AppFacts } from './app-facts.js';
import { bannerHandler, startsBanner } from './banners.js';
import { cdpHandler, dhcpv6Handler, lldpHandler, snmpHandler } from './discovery.js';
import { dicomHandler, hl7Handler, startsAssociation, startsMllp } from './medical.js';
import { dnsHandler, nbnsHandler, ssdpHandler, syslogHandler, wsdHandler } from './names.js';
import { httpHandler, startsHandshake, startsHead, tlsHandler } from './web.js';
import { StreamMessages } from './stream-messages.js';

/** `refreshMs`: how often a fact already reported is confirmed (the device table's interval). */
export function registerHandlers(apps: AppFacts, refreshMs: number): void {
  // One reassembler per stream protocol, so that a message in progress in one (a long HL7 report)
  // does not make every segment of another (bulk DICOM) look itself up; together they hold at most
  // what one reassembler would by default.
  const reassembler = (): StreamMessages => new StreamMessages({ maxStreams: 1024, maxTotalBytes: 8 * 1024 * 1024 });
  const dicom = reassembler();
  const hl7 = reassembler();
  const tls = reassembler();
  const http = reassembler();
  const banners = reassembler();
  // Stream protocols: bulk data on their ports is passed over by a look at its first octets.
  apps.handle(APP_DICOM, dicomHandler(dicom), dicom.gate(startsAssociation));
  apps.handle(APP_HL7, hl7Handler(hl7, refreshMs), hl7.gate(startsMllp));
  apps.handle(APP_TLS, tlsHandler(tls, refreshMs), tls.gate(startsHandshake));
  apps.handle(APP_HTTP, httpHandler(http, refreshMs), http.gate(startsHead));
  const bannerGate = (buf: Uint8Array, at: number, end: number, d: Dissection): boolean => startsBanner(buf, at, end, d) || banners.continuing(buf, d);
  const banner = bannerHandler(banners, refreshMs);
  for (const app of [APP_SSH, APP_FTP, APP_SMTP, APP_TELNET]) apps.handle(app, banner, bannerGate);
  apps.handle(APP_DNS, dnsHandler).handle(APP_NBNS, nbnsHandler).handle(APP_SSDP, ssdpHandler).handle(APP_WSD, wsdHandler).handle(APP_SYSLOG, syslogHandler);
  apps.handle(APP_LLDP, lldpHandler).handle(APP_CDP, cdpHandler).handle(APP_DHCPV6, dhcpv6Handler).handle(APP_SNMP, snmpHandler);
}
