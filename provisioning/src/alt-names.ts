/** Subject alternative names: DNS names and IP addresses, checked and normalised before they are signed. */
import { isIP } from 'node:net';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';

/** RFC 1035 §2.3.4: labels of up to 63 octets, names of up to 253 characters in text form. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_NAME_MAX = 253;

export function isDnsName(name: string): boolean {
  return name.length > 0 && name.length <= DNS_NAME_MAX && name.split('.').every((label) => DNS_LABEL.test(label));
}

/** Lower-cased, trailing dot removed, duplicates dropped; refuses anything that is not a host name. */
export function normaliseDnsNames(names: readonly string[]): string[] {
  const normalised = new Set<string>();
  for (const name of names) {
    const candidate = String(name).toLowerCase().replace(/\.$/, '');
    if (!isDnsName(candidate)) {
      throw new ProvisioningError(
        ProvisioningErrorCode.BadName,
        `${JSON.stringify(name)} is not a DNS host name: use letters, digits and hyphens in dot-separated labels (wildcards are not issued)`,
      );
    }
    normalised.add(candidate);
  }
  return [...normalised];
}

/** Duplicates dropped; refuses anything that is not an IPv4 or IPv6 address (no zone ids, no prefixes). */
export function normaliseIpAddresses(addresses: readonly string[]): string[] {
  const normalised = new Set<string>();
  for (const address of addresses) {
    const candidate = String(address).toLowerCase();
    if (isIP(candidate) === 0 || candidate.includes('%')) {
      throw new ProvisioningError(
        ProvisioningErrorCode.BadAddress,
        `${JSON.stringify(address)} is not an IP address: give an IPv4 address such as 10.20.0.5 or an IPv6 address such as fd00::5`,
      );
    }
    normalised.add(candidate);
  }
  return [...normalised];
}
