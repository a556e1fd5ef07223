/**
 * The signal vocabulary: every name a sensor reports, and the named groups rules may match on.
 * A rule naming a signal outside it fails to load, so a typo cannot silently never match.
 */

/**
 * Names a sensor reports. `mdns.txt.<key>` is open-ended: one name per TXT key (RFC 6763 §6).
 * Roles the rules rely on: `dicom.callingAe` is reported for the device that requested the
 * association and `dicom.calledAe` for the one that accepted it, each with its own AE title;
 * `dicom.abstractSyntax` (one proposed SOP class per finding) for both. `hl7.*` fields are
 * reported for the device that sent the message. `tcp.synSignature` is `<initial ttl>:<window>:<mss>:
 * <window scale>:<option names>` (`-` where absent), e.g. `64:64240:1460:7:MSS,SACK,TS,NOP,WS`;
 * `lldp.capabilities` lists the enabled capabilities by their IEEE 802.1AB names, comma-joined.
 */
export const SIGNAL_NAMES: ReadonlySet<string> = new Set([
  'oui',
  'dhcp.option12', 'dhcp.option60', 'dhcp.option55', 'dhcp.option61', 'dhcp.option81', 'dhcp.optionOrder', 'dhcp.option57',
  'dhcpv6.vendorClass', 'dhcpv6.enterprise', 'dhcpv6.oro', 'dhcpv6.fqdn',
  'mdns.instance', 'mdns.service', 'mdns.hostname',
  'dns.query',
  'ssdp.server', 'ssdp.usn', 'ssdp.nt', 'ssdp.location',
  'wsd.types', 'wsd.scopes', 'wsd.xaddrs',
  'lldp.systemName', 'lldp.systemDescription', 'lldp.chassisId', 'lldp.capabilities',
  'cdp.deviceId', 'cdp.platform', 'cdp.softwareVersion',
  'netbios.name',
  'http.userAgent', 'http.server', 'http.host',
  'tls.sni', 'tls.alpn', 'tls.ja4', 'tls.certificateSubject',
  'ssh.banner', 'ftp.banner', 'telnet.banner', 'smtp.banner',
  'snmp.sysDescr', 'snmp.sysObjectID',
  'tcp.synSignature',
  'dicom.callingAe', 'dicom.calledAe', 'dicom.implementationClassUid', 'dicom.implementationVersion', 'dicom.abstractSyntax',
  'hl7.sendingApplication', 'hl7.sendingFacility', 'hl7.messageType', 'hl7.version', 'hl7.deviceUdi', 'hl7.equipmentId',
  'syslog.hostname', 'syslog.appName',
]);

const MDNS_TXT = /^mdns\.txt\.[A-Za-z0-9_.-]{1,64}$/;

/**
 * Groups a rule can name instead of listing signals (`"signal": "@self-description"`).
 * Each member is matched on its own, so two members agreeing count as two sources.
 */
export const SIGNAL_GROUPS: Readonly<Record<string, readonly string[]>> = {
  /** Text the device's own software writes about what it is: product, model, firmware. */
  '@self-description': [
    'dhcp.option60', 'dhcpv6.vendorClass', 'mdns.instance', 'mdns.txt.ty', 'mdns.txt.md', 'mdns.txt.model', 'mdns.txt.product',
    'mdns.txt.usb_MDL', 'ssdp.server', 'wsd.scopes', 'lldp.systemDescription', 'cdp.platform', 'snmp.sysDescr', 'http.userAgent',
    'http.server', 'hl7.sendingApplication', 'dicom.implementationVersion', 'syslog.appName', 'telnet.banner', 'ftp.banner',
  ],
  /** Names an administrator, or the device's default configuration, gave the host. */
  '@host-name': ['dhcp.option12', 'dhcp.option81', 'dhcpv6.fqdn', 'mdns.hostname', 'netbios.name', 'lldp.systemName', 'syslog.hostname', 'cdp.deviceId'],
  /** Maker names a device states in its own words (normalised through the vendor names). */
  '@maker-name': ['mdns.txt.usb_MFG', 'mdns.txt.manufacturer', 'mdns.txt.mfg'],
};

export function isSignalName(name: string): boolean {
  return SIGNAL_NAMES.has(name) || MDNS_TXT.test(name);
}

/** The signal names a predicate's `signal` field stands for, or the first unknown name. */
export function expandSignals(names: readonly string[]): { signals: string[] } | { unknown: string } {
  const signals: string[] = [];
  for (const name of names) {
    const group = SIGNAL_GROUPS[name];
    const members = group ?? [name];
    if (!group && !isSignalName(name)) return { unknown: name };
    for (const member of members) if (!signals.includes(member)) signals.push(member);
  }
  return { signals };
}
