/**
 * A small DER writer (ITU-T X.690 §8, §10) for hand-built X.509 test certificates: each helper
 * returns one encoded element, so a certificate reads as its ASN.1 definition (RFC 5280 §4.1).
 */

/** Tag, definite length (short or long form, X.690 §8.1.3), contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const length = contents.reduce((n, c) => n + c.length, 0);
  const lengthOctets: number[] = [];
  if (length < 0x80) lengthOctets.push(length);
  else {
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthOctets.unshift(rest % 256);
    lengthOctets.unshift(0x80 | lengthOctets.length);
  }
  const out = new Uint8Array(1 + lengthOctets.length + length);
  out[0] = tag;
  out.set(lengthOctets, 1);
  let at = 1 + lengthOctets.length;
  for (const c of contents) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const sequence = (...contents: Uint8Array[]): Uint8Array => tlv(0x30, ...contents);
export const set = (...contents: Uint8Array[]): Uint8Array => tlv(0x31, ...contents);
/** A context-specific constructed tag [n] (EXPLICIT). */
export const explicit = (n: number, ...contents: Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...contents);

/** INTEGER from hex octets (already minimal and non-negative). */
export const integer = (hexOctets: string): Uint8Array => tlv(0x02, Buffer.from(hexOctets, 'hex'));
export const boolean = (value: boolean): Uint8Array => tlv(0x01, Uint8Array.of(value ? 0xff : 0x00));
export const octetString = (...contents: Uint8Array[]): Uint8Array => tlv(0x04, ...contents);
/** BIT STRING with no unused bits. */
export const bitString = (octets: Uint8Array): Uint8Array => tlv(0x03, Uint8Array.of(0), octets);
export const printableString = (text: string): Uint8Array => tlv(0x13, Buffer.from(text, 'latin1'));
export const utf8String = (text: string): Uint8Array => tlv(0x0c, Buffer.from(text, 'utf8'));
export const utcTime = (text: string): Uint8Array => tlv(0x17, Buffer.from(text, 'latin1'));
export const generalizedTime = (text: string): Uint8Array => tlv(0x18, Buffer.from(text, 'latin1'));

/** OBJECT IDENTIFIER from dotted text (X.690 §8.19). */
export function oid(dotted: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const octets: number[] = [first * 40 + second];
  for (const arc of rest) {
    const base128: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) base128.unshift(0x80 | (v & 0x7f));
    octets.push(...base128);
  }
  return tlv(0x06, Uint8Array.from(octets));
}

/** AttributeTypeAndValue (RFC 5280 §4.1.2.4) in its own RelativeDistinguishedName. */
export function rdn(type: string, value: Uint8Array): Uint8Array {
  return set(sequence(oid(type), value));
}

export const OID = {
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  ed25519: '1.3.101.112', // RFC 8410 §3
} as const;
