import { describe, expect, it } from 'vitest';
import { decode, type WsDiscovery } from '../../src/decoders/ws-discovery.js';
import { decoderContract } from './contract.js';
import { DPWS, MDPWS, PRINTER_PROBE_MATCHES, SDC_HELLO, SDC_PROBE, WPRT, WSD_11, WSD_2005 } from './ws-discovery-messages.js';

function xml(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** An envelope around `body` (the Body's content), with the discovery prefix `d`. */
function envelope(body: string, header = ''): Uint8Array {
  return xml(`<s:Envelope xmlns:s="urn:s" xmlns:d="${WSD_11}" xmlns:a="urn:a">${header}<s:Body>${body}</s:Body></s:Envelope>`);
}

describe('ws-discovery decoder', () => {
  it("decodes an SDC device's Hello with its types resolved to namespaces", () => {
    expect(decode(SDC_HELLO, 0)).toEqual({
      action: 'Hello',
      actionUri: `${WSD_11}/Hello`,
      messageId: 'urn:uuid:0f5b2a6c-4c1e-4a53-9d59-3a1c2b7e0a11',
      address: 'urn:uuid:5b6e8a7e-1d2c-4f3b-8e9a-0009fb1a2b3c',
      types: [
        { qname: 'dpws:Device', namespace: DPWS, local: 'Device' },
        { qname: 'mdpws:MedicalDevice', namespace: MDPWS, local: 'MedicalDevice' },
      ],
      scopes: ['sdc.mds.pkp:1.2.840.10004.20701.1.1', 'sdc.ctxt.loc:/sdc.ctxt.loc.detail/ICU%2F%2FBed12?fac=Hosp&bed=12'],
      xaddrs: ['https://10.20.0.55:6464/0009fb1a2b3c'],
      metadataVersion: 3,
    } satisfies WsDiscovery);
  });

  it('reads the first of several matches, under a default namespace, and not the header Address', () => {
    expect(decode(PRINTER_PROBE_MATCHES, 0)).toEqual({
      action: 'ProbeMatches',
      actionUri: `${WSD_2005}/ProbeMatches`,
      messageId: 'urn:uuid:7d1c9e3a-0b2f-4e55-8c6a-2f4e9b1d0c77',
      address: 'urn:uuid:6d4ff0ce-6b11-11d8-8000-0050c2000080',
      types: [{ qname: 'wprt:PrintDeviceType', namespace: WPRT, local: 'PrintDeviceType' }],
      scopes: [],
      xaddrs: ['http://10.20.0.80:3911/'],
      metadataVersion: 12,
    } satisfies WsDiscovery);
  });

  it('decodes a Probe without a header', () => {
    expect(decode(SDC_PROBE, 0)).toEqual({
      action: 'Probe',
      actionUri: null,
      messageId: null,
      address: null,
      types: [{ qname: 'm:MedicalDevice', namespace: MDPWS, local: 'MedicalDevice' }],
      scopes: [],
      xaddrs: [],
      metadataVersion: null,
    } satisfies WsDiscovery);
  });

  it('names the message after the Body element, for each discovery message', () => {
    for (const action of ['Hello', 'Bye', 'Probe', 'ProbeMatches', 'Resolve', 'ResolveMatches']) {
      expect(decode(envelope(`<d:${action}/>`), 0)?.action).toBe(action);
    }
    expect(decode(envelope('<d:GetStatus/>'), 0)).toBeNull();
    expect(decode(envelope(''), 0)).toBeNull(); // an empty Body
    expect(decode(xml(`<d:Hello xmlns:d="${WSD_11}"/>`), 0)).toBeNull(); // not in an Envelope
  });

  it('reads character references, CDATA, comments and processing instructions', () => {
    const body = '<d:Bye><a:EndpointReference><a:Address><![CDATA[urn:uuid:<x>]]>&#x2D;&#45;&lt;</a:Address></a:EndpointReference></d:Bye>';
    expect(decode(envelope(`<!-- c -->${body}<?pi x?>`), 0)?.address).toBe('urn:uuid:<x>--<');
  });

  it('resolves an unprefixed type against the default namespace and leaves an unbound prefix unresolved', () => {
    const types = decode(envelope(`<d:Probe><d:Types xmlns="${DPWS}">Device x:Unbound</d:Types></d:Probe>`), 0)?.types;
    expect(types).toEqual([
      { qname: 'Device', namespace: DPWS, local: 'Device' },
      { qname: 'x:Unbound', namespace: null, local: 'Unbound' },
    ]);
  });

  it('leaves a MetadataVersion that is not an unsignedInt unset', () => {
    for (const version of ['x', '-1', '4294967296', '']) {
      expect(decode(envelope(`<d:Hello><d:MetadataVersion>${version}</d:MetadataVersion></d:Hello>`), 0)?.metadataVersion).toBeNull();
    }
    expect(decode(envelope('<d:Hello><d:MetadataVersion> 4294967295 </d:MetadataVersion></d:Hello>'), 0)?.metadataVersion).toBe(4294967295);
  });

  it('rejects XML that is not well formed, a DTD, and nesting past the bound', () => {
    expect(decode(envelope('<d:Hello></d:Bye>'), 0)).toBeNull(); // mismatched end tag
    expect(decode(envelope('<d:Hello>&nbsp;</d:Hello>'), 0)).toBeNull(); // an entity XML does not define
    expect(decode(envelope('<d:Hello>a & b</d:Hello>'), 0)).toBeNull(); // a bare ampersand
    expect(decode(envelope('<d:Hello x="1></d:Hello>'), 0)).toBeNull(); // an unclosed attribute value
    expect(decode(envelope('<d:Hello x=1/>'), 0)).toBeNull(); // an unquoted attribute value
    expect(decode(xml(`<!DOCTYPE e [<!ENTITY x "y">]>`), 0)).toBeNull();
    expect(decode(xml('text<s:Envelope xmlns:s="urn:s"/>'), 0)).toBeNull(); // text before the root
    expect(decode(SDC_HELLO.subarray(0, SDC_HELLO.length - 1), 0)).toBeNull(); // the root not closed
    const deep = '<x>'.repeat(30) + '</x>'.repeat(30);
    expect(decode(envelope(`<d:Hello>${deep}</d:Hello>`), 0)).toBeNull();
    const shallow = '<x>'.repeat(28) + '</x>'.repeat(28);
    expect(decode(envelope(`<d:Hello>${shallow}</d:Hello>`), 0)?.action).toBe('Hello');
  });

  it('reads only [offset, end) and ignores what follows the root element', () => {
    const framed = new Uint8Array(SDC_PROBE.length + 10).fill(0x3c); // '<' all round
    framed.set(SDC_PROBE, 5);
    expect(decode(framed, 5, 5 + SDC_PROBE.length)).toEqual(decode(SDC_PROBE, 0));
    expect(decode(framed, 5)).toEqual(decode(SDC_PROBE, 0));
    expect(decode(SDC_PROBE, SDC_PROBE.length)).toBeNull();
  });
});

let lastMessage: WsDiscovery | null = null;
decoderContract({
  name: 'ws-discovery',
  accepts: (buf, offset, end) => (lastMessage = decode(buf, offset, end)) !== null,
  result: () => lastMessage,
  cases: [
    { name: 'SDC Probe', bytes: SDC_PROBE, offset: 0 },
    { name: 'SDC Hello', bytes: SDC_HELLO, offset: 0 },
  ],
});
