/**
 * Hand-built X.509 v3 certificates (RFC 5280 §4.1), written element by element with ./der.ts. The
 * key and signature are Ed25519-shaped octets (RFC 8410): parsing never verifies them.
 */
import { bitString, boolean, explicit, generalizedTime, integer, OID, octetString, oid, printableString, rdn, sequence, tlv, utcTime, utf8String } from './der.js';

const ED25519 = sequence(oid(OID.ed25519)); // AlgorithmIdentifier, no parameters (RFC 8410 §3)
const PUBLIC_KEY = sequence(ED25519, bitString(new Uint8Array(32).fill(0x42))); // SubjectPublicKeyInfo

const PUMP_CA = sequence(
  rdn(OID.countryName, printableString('DE')),
  rdn(OID.organizationName, utf8String('Wardsight Test CA')),
  rdn(OID.commonName, utf8String('Pump CA')),
);

const PUMP = sequence(
  rdn(OID.countryName, printableString('DE')),
  rdn(OID.organizationName, utf8String('Müller Medizintechnik')),
  rdn(OID.organizationalUnitName, utf8String('Pumps')),
  rdn(OID.organizationalUnitName, utf8String('Space')),
  rdn(OID.commonName, utf8String('pump-17.icu.example')),
);

/** Extension (RFC 5280 §4.1): extnID, critical (default FALSE, left out), extnValue. */
function extension(id: string, value: Uint8Array): Uint8Array {
  return sequence(oid(id), octetString(value));
}

/** GeneralName choices (RFC 5280 §4.2.1.6), IMPLICIT tags. */
const dnsName = (name: string): Uint8Array => tlv(0x82, Buffer.from(name, 'latin1'));
const ipAddress = (...octets: number[]): Uint8Array => tlv(0x87, Uint8Array.from(octets));

function certificate(issuer: Uint8Array, subject: Uint8Array, extensions: Uint8Array[]): Uint8Array {
  const tbs = sequence(
    explicit(0, integer('02')), // version v3
    integer('0a1b2c'), // serialNumber
    ED25519, // signature
    issuer,
    sequence(utcTime('240101000000Z'), generalizedTime('20500101000000Z')), // validity
    subject,
    PUBLIC_KEY,
    explicit(3, sequence(...extensions)),
  );
  return sequence(tbs, ED25519, bitString(new Uint8Array(64))); // signatureAlgorithm, signatureValue
}

/** A pump's server certificate, issued by a CA. */
export const PUMP_CERTIFICATE = certificate(PUMP_CA, PUMP, [
  extension(OID.subjectAltName, sequence(dnsName('pump-17.icu.example'), dnsName('*.icu.example'), ipAddress(10, 20, 0, 55))),
  extension(OID.basicConstraints, sequence()), // cA FALSE
]);

/** A self-signed CA certificate whose subjectAltName holds a name with a comma. */
export const SELF_SIGNED_CA = certificate(PUMP_CA, PUMP_CA, [
  extension(OID.subjectAltName, sequence(dnsName('a, b'), dnsName('ca.icu.example'))),
  extension(OID.basicConstraints, sequence(boolean(true))), // cA TRUE
]);
