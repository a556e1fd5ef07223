/**
 * Which network service a vulnerability lies in, from what its statements say (title, description,
 * CWE): a web interface, Telnet, SMB, DICOM… Advisories rarely name a port, so the words decide;
 * where they name nothing, every service the device exposes is the path. A flaw that needs a radio
 * (Bluetooth, RF telemetry) or a cable to the device is marked: the wired network gives no path to it.
 */
import type { VulnerabilityRecord } from '@wardsight/vulns';

export interface AffectedService {
  /** Service keys (`tcp/443`) the flaw is reached through; empty when the words name none. */
  services: string[];
  /** Names of what was recognised, for the reason text: `web interface`, `Telnet`. */
  names: string[];
  /** The flaw is reached over a radio link or by hand, not over the IP network. */
  offNetwork: 'radio' | 'physical' | null;
}

interface Hint {
  name: string;
  words: RegExp;
  services: string[];
}

const WEB = ['tcp/80', 'tcp/443', 'tcp/8080', 'tcp/8443'];
const HINTS: Hint[] = [
  { name: 'web interface', words: /\b(https?|web(?:[ -]?(?:server|interface|application|portal|service|page|ui|based))?|browser|cross[- ]site|xss|sql injection|csrf|rest(?:ful)? api|url|cookie|session token)\b/i, services: WEB },
  { name: 'Telnet', words: /\btelnet\b/i, services: ['tcp/23'] },
  // SFTP and SCP are SSH's file transfer (tcp/22), not FTP.
  { name: 'SSH', words: /\b(?:ssh|sftp|scp)\b/i, services: ['tcp/22'] },
  { name: 'FTP', words: /\b(?:ftps?|file transfer protocol)\b/i, services: ['tcp/21'] },
  { name: 'SMB', words: /\b(smb(?:v?[123])?|cifs|samba|file shar(?:e|ing)|ms17-010|eternalblue)\b/i, services: ['tcp/445', 'tcp/139'] },
  { name: 'Remote Desktop', words: /\b(rdp|remote desktop|bluekeep)\b/i, services: ['tcp/3389'] },
  { name: 'VNC', words: /\bvnc\b/i, services: ['tcp/5900'] },
  { name: 'DICOM', words: /\bdicom\b/i, services: ['tcp/104', 'tcp/11112', 'tcp/4242'] },
  { name: 'HL7', words: /\bhl7\b|\bmllp\b/i, services: ['tcp/2575', 'tcp/6661'] },
  { name: 'SNMP', words: /\bsnmp\b/i, services: ['udp/161'] },
  { name: 'TLS', words: /\b(tls|ssl|openssl|certificate validation)\b/i, services: ['tcp/443'] },
  { name: 'database', words: /\b(sql server|mssql|database server)\b/i, services: ['tcp/1433'] },
];
const WEB_CWES = new Set(['CWE-79', 'CWE-89', 'CWE-352', 'CWE-601', 'CWE-918', 'CWE-22', 'CWE-434', 'CWE-611']);
const RADIO = /\b(bluetooth|ble|radio[- ]frequency|rf (?:telemetry|link|communication)|wireless telemetry|conexus|zigbee|nfc|inductive)\b/i;
const PHYSICAL = /\b(physical access|usb (?:port|drive|stick)|serial (?:port|cable)|debug port|local access to the device)\b/i;

/** The service(s) a vulnerability is reached through, as its statements describe it. */
export function affectedService(statements: readonly VulnerabilityRecord[]): AffectedService {
  const text = statements.map((s) => `${s.title ?? ''} ${s.description ?? ''}`).join(' ');
  const cwes = new Set(statements.flatMap((s) => s.cwes));
  const services = new Set<string>();
  const names: string[] = [];
  for (const hint of HINTS) {
    if (!hint.words.test(text)) continue;
    names.push(hint.name);
    for (const s of hint.services) services.add(s);
  }
  if (!names.includes('web interface') && [...cwes].some((c) => WEB_CWES.has(c))) {
    names.push('web interface');
    for (const s of WEB) services.add(s);
  }
  const offNetwork = RADIO.test(text) ? 'radio' : PHYSICAL.test(text) && services.size === 0 ? 'physical' : null;
  return { services: [...services], names, offNetwork };
}
