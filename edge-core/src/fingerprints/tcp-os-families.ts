/**
 * Operating-system families told apart by a SYN's signature, as data a user can extend: only traits
 * documented in public sources are listed, each with the confidence it deserves. A signature is a
 * hint (a firewall, a VPN or a tuned stack rewrites it), so no rule goes above 0.8; device facts
 * (DHCP, banners, LLDP) outrank it.
 */
import type { TcpSignature } from './tcp-signature.js';

export interface OsFamilyRule {
  family: string;
  /** The initial TTL the family's stack starts with. */
  initialTtl: number;
  /** The SYN's option layout (names joined by commas), or null to match any layout. A SYN-ACK's
   * layout echoes what the client offered, so it only meets rules without one. */
  options: string | null;
  confidence: number;
  /** The public description of the trait. */
  source: string;
}

export interface OsFamilyGuess {
  family: string;
  confidence: number;
  /** The signature text the guess was made from. */
  evidence: string;
}

/** Most specific first: the first rule that matches wins. */
export const OS_FAMILY_RULES: readonly OsFamilyRule[] = [
  {
    family: 'macOS/iOS',
    initialTtl: 64,
    options: 'MSS,NOP,WS,NOP,NOP,TS,SACK,EOL',
    confidence: 0.8,
    source: 'XNU bsd/netinet/tcp_output.c option order; net.inet.ip.ttl default 64',
  },
  {
    family: 'Linux/Android',
    initialTtl: 64,
    options: 'MSS,SACK,TS,NOP,WS',
    confidence: 0.8,
    source: 'Linux net/ipv4/tcp_output.c tcp_options_write order; ip-sysctl ip_default_ttl 64',
  },
  {
    family: 'Windows',
    initialTtl: 128,
    options: 'MSS,NOP,WS,NOP,NOP,SACK',
    confidence: 0.8,
    source: 'Microsoft TCP/IP DefaultTTL 128; Windows 10/11 SYN without timestamps by default',
  },
  {
    family: 'Windows',
    initialTtl: 128,
    options: null,
    confidence: 0.6,
    source: 'Microsoft TCP/IP DefaultTTL 128',
  },
  {
    family: 'network equipment',
    initialTtl: 255,
    options: null,
    confidence: 0.4,
    source: 'Cisco IOS and most router and switch stacks start IP TTL at 255',
  },
];

/** The first rule matching `signature`'s initial TTL and option layout, or null. */
export function guessOsFamily(signature: TcpSignature, rules: readonly OsFamilyRule[] = OS_FAMILY_RULES): OsFamilyGuess | null {
  const layout = signature.synAck ? null : signature.options.join(',');
  const rule = rules.find((r) => r.initialTtl === signature.initialTtl && (r.options === null || r.options === layout));
  return rule === undefined ? null : { family: rule.family, confidence: rule.confidence, evidence: signature.text };
}
