/**
 * Hand-written WS-Discovery messages (SOAP 1.2 envelopes, as sent on UDP 3702), commented element
 * by element: an IEEE 11073 SDC patient monitor's Hello (WS-Discovery 1.1, MDPWS types and SDC
 * scopes), a printer's ProbeMatches in the April 2005 draft with the discovery namespace as the
 * default one, and a control point's Probe for medical devices.
 */

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const WSA_2005 = 'http://www.w3.org/2005/08/addressing'; // WS-Addressing 1.0, used by WS-Discovery 1.1
const WSA_2004 = 'http://schemas.xmlsoap.org/ws/2004/08/addressing'; // used by the April 2005 draft
export const WSD_11 = 'http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01';
export const WSD_2005 = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
export const DPWS = 'http://docs.oasis-open.org/ws-dd/ns/dpws/2009/01';
export const MDPWS = 'http://standards.ieee.org/downloads/11073/11073-20702-2016';
export const WPRT = 'http://schemas.microsoft.com/windows/2006/08/wdp/print';

function utf8(xml: string): Uint8Array {
  return new TextEncoder().encode(xml);
}

export const SDC_HELLO = utf8(
  [
    '<?xml version="1.0" encoding="UTF-8"?>', // XML declaration: skipped
    `<s12:Envelope xmlns:s12="${SOAP12}" xmlns:wsa="${WSA_2005}" xmlns:wsd="${WSD_11}"`,
    ` xmlns:dpws="${DPWS}" xmlns:mdpws="${MDPWS}">`, // prefixes the Types below resolve against
    '<s12:Header>',
    '<wsa:To>urn:docs-oasis-open-org:ws-dd:ns:discovery:2009:01</wsa:To>', // the multicast target
    `<wsa:Action>${WSD_11}/Hello</wsa:Action>`,
    '<wsa:MessageID>urn:uuid:0f5b2a6c-4c1e-4a53-9d59-3a1c2b7e0a11</wsa:MessageID>',
    '<wsd:AppSequence InstanceId="1709625302" MessageNumber="1"/>', // an empty element with attributes
    '</s12:Header>',
    '<s12:Body>',
    '<wsd:Hello>', // the message
    '<wsa:EndpointReference><wsa:Address>urn:uuid:5b6e8a7e-1d2c-4f3b-8e9a-0009fb1a2b3c</wsa:Address></wsa:EndpointReference>',
    '<wsd:Types>dpws:Device mdpws:MedicalDevice</wsd:Types>', // two QNames
    // SDC scopes (IEEE 11073-20701): a provider kind, and a location with an escaped '&'
    '<wsd:Scopes>\n  sdc.mds.pkp:1.2.840.10004.20701.1.1\n  sdc.ctxt.loc:/sdc.ctxt.loc.detail/ICU%2F%2FBed12?fac=Hosp&amp;bed=12\n</wsd:Scopes>',
    '<wsd:XAddrs>https://10.20.0.55:6464/0009fb1a2b3c</wsd:XAddrs>', // where to fetch its metadata
    '<wsd:MetadataVersion>3</wsd:MetadataVersion>',
    '</wsd:Hello>',
    '</s12:Body>',
    '</s12:Envelope>',
  ].join(''),
);

export const PRINTER_PROBE_MATCHES = utf8(
  [
    `<soap:Envelope xmlns:soap='${SOAP12}' xmlns:wsa='${WSA_2004}'>`, // attributes in single quotes
    '<soap:Header>',
    `<wsa:Action>${WSD_2005}/ProbeMatches</wsa:Action>`,
    '<wsa:MessageID>urn:uuid:7d1c9e3a-0b2f-4e55-8c6a-2f4e9b1d0c77</wsa:MessageID>',
    '<wsa:RelatesTo>urn:uuid:3f42dc9a-24ce-48d1-88f9-16b96a137d71</wsa:RelatesTo>',
    // an Address in the header: not the endpoint's
    `<wsa:ReplyTo><wsa:Address>${WSA_2004}/role/anonymous</wsa:Address></wsa:ReplyTo>`,
    '</soap:Header>',
    '<soap:Body>',
    `<ProbeMatches xmlns="${WSD_2005}" note='a > b'>`, // the default namespace; '>' inside a value
    '<!-- first match: the one read -->',
    '<ProbeMatch>',
    '<wsa:EndpointReference><wsa:Address>urn:uuid:6d4ff0ce-6b11-11d8-8000-0050c2000080</wsa:Address></wsa:EndpointReference>',
    `<Types xmlns:wprt="${WPRT}">wprt:PrintDeviceType</Types>`, // a prefix declared on the element itself
    '<XAddrs>http://10.20.0.80:3911/</XAddrs>',
    '<MetadataVersion>12</MetadataVersion>',
    '</ProbeMatch>',
    '<ProbeMatch>', // a second match: not read
    '<wsa:EndpointReference><wsa:Address>urn:uuid:second</wsa:Address></wsa:EndpointReference>',
    '<Scopes>ldap:///ou=second</Scopes>',
    '</ProbeMatch>',
    '</ProbeMatches>',
    '</soap:Body>',
    '</soap:Envelope>',
  ].join('\r\n'),
);

export const SDC_PROBE = utf8(
  `<e:Envelope xmlns:e="${SOAP12}" xmlns:d="${WSD_11}" xmlns:m="${MDPWS}">` + // short prefixes
    '<e:Body><d:Probe><d:Types>m:MedicalDevice</d:Types></d:Probe></e:Body>' + // no header at all
    '</e:Envelope>',
);
