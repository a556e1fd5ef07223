/**
 * DICOM upper layer and HL7 (MLLP) as tshark shows them, from our decoders over TcpStreams: the
 * extractor follows every TCP stream the registry routes to DICOM or HL7, and reports each PDU or
 * message on the frame that completes it, as tshark does with its own reassembly.
 *
 * Where tshark's text form carries more than the value, `normalise` reduces tshark's side to the
 * value before comparing: AE titles keep their space padding in tshark (PS3.8 §9.3.2 makes it not
 * significant, we trim it); UIDs come as "Name (uid)"; HL7 segments come as their raw text, of which
 * we compare the MSH fields we read, every segment id, OBX-18 and the PRT device fields.
 */
import { decode as decodeDicom, type DicomPdu } from '../../src/decoders/dicom-ul.js';
import { decode as decodeHl7, type Hl7Message } from '../../src/decoders/hl7.js';
import { needsMore } from '../../src/decoders/need-more.js';
import { TCP_FIN, TCP_RST, TCP_SYN } from '../../src/decoders/tcp.js';
import { APP_DICOM, APP_HL7, L4_TCP, type Dissection } from '../../src/dissect.js';
import { streamKey, TcpStreams } from '../../src/state/tcp-streams.js';
import { compareCapture, type Comparison, type Extractor, type Fields } from './harness.js';

const DICOM_FIELDS = [
  'dicom.pdu.type',
  'dicom.pdu.len',
  'dicom.assoc.version',
  'dicom.assoc.ae.called',
  'dicom.assoc.ae.calling',
  'dicom.actx',
  'dicom.pctx.id',
  'dicom.pctx.result',
  'dicom.pctx.abss.syntax',
  'dicom.pctx.xfer.syntax',
  'dicom.max_pdu_len',
  'dicom.userinfo.uid',
  'dicom.userinfo.version',
  'dicom.userinfo.asyncneg.maxnumopsinv',
  'dicom.userinfo.asyncneg.maxnumopsper',
  'dicom.userinfo.rolesel.sopclassuid',
  'dicom.userinfo.rolesel.scurole',
  'dicom.userinfo.rolesel.scprole',
  'dicom.assoc.reject.result',
  'dicom.assoc.reject.source',
  'dicom.assoc.reject.reason',
  'dicom.assoc.abort.source',
  'dicom.assoc.abort.reason',
] as const;
const HL7_FIELDS = ['hl7.message.type', 'hl7.event.type', 'hl7.segment'] as const;

/** Fields whose tshark text is "Name (uid)" for a UID it knows. */
const UID_FIELDS = new Set(['dicom.actx', 'dicom.pctx.abss.syntax', 'dicom.pctx.xfer.syntax', 'dicom.userinfo.rolesel.sopclassuid']);
const AE_FIELDS = new Set(['dicom.assoc.ae.called', 'dicom.assoc.ae.calling']);

export interface MedicalExtractor extends Extractor {
  /** tshark's values of `field` in the form we compare (see the file comment). */
  normalise(field: string, tshark: readonly string[]): string[];
}

/** tshark's hex form of a byte value, `0x01`. */
const hex2 = (value: number): string => `0x${value.toString(16).padStart(2, '0')}`;

function add(row: Fields, field: string, value: string | number | null): void {
  if (value === null) return;
  (row[field] ??= []).push(String(value));
}

function dicomFields(row: Fields, pdu: DicomPdu): void {
  add(row, 'dicom.pdu.type', hex2(pdu.type));
  add(row, 'dicom.pdu.len', pdu.length);
  const a = pdu.association;
  if (a !== null) {
    add(row, 'dicom.assoc.version', a.protocolVersion);
    add(row, 'dicom.assoc.ae.called', a.calledAeTitle);
    add(row, 'dicom.assoc.ae.calling', a.callingAeTitle);
    add(row, 'dicom.actx', a.applicationContext);
    for (const context of a.presentationContexts) {
      add(row, 'dicom.pctx.id', hex2(context.id));
      add(row, 'dicom.pctx.result', context.result === null ? null : hex2(context.result));
      add(row, 'dicom.pctx.abss.syntax', context.abstractSyntax);
      for (const syntax of context.transferSyntaxes) add(row, 'dicom.pctx.xfer.syntax', syntax);
    }
    add(row, 'dicom.max_pdu_len', a.maxPduLength);
    add(row, 'dicom.userinfo.uid', a.implementationClassUid);
    add(row, 'dicom.userinfo.asyncneg.maxnumopsinv', a.asyncOperations?.invoked ?? null);
    add(row, 'dicom.userinfo.asyncneg.maxnumopsper', a.asyncOperations?.performed ?? null);
    for (const role of a.roleSelections) {
      add(row, 'dicom.userinfo.rolesel.sopclassuid', role.sopClassUid);
      add(row, 'dicom.userinfo.rolesel.scurole', hex2(role.scuRole));
      add(row, 'dicom.userinfo.rolesel.scprole', hex2(role.scpRole));
    }
    add(row, 'dicom.userinfo.version', a.implementationVersionName);
  }
  if (pdu.reject !== null) {
    add(row, 'dicom.assoc.reject.result', pdu.reject.result);
    add(row, 'dicom.assoc.reject.source', pdu.reject.source);
    add(row, 'dicom.assoc.reject.reason', pdu.reject.reason);
  }
  if (pdu.abort !== null) {
    add(row, 'dicom.assoc.abort.source', pdu.abort.source);
    add(row, 'dicom.assoc.abort.reason', pdu.abort.reason);
  }
}

/** The MSH fields we read, in one line: how `normalise` also renders tshark's raw MSH segment. */
function mshLine(fields: readonly (string | null)[]): string {
  return fields.map((value) => value ?? '').join(' | ');
}

/** PRT fields read as device identity (HL7 v2.8 §7.4.4), after PRT-10. */
const PRT_UDI_FIELDS = [16, 17, 18, 19, 20, 21, 22] as const;

/**
 * Our side of `hl7.segment`: the MSH line, the other segments' ids, then every OBX-18 repetition and
 * every PRT device field as `OBX-18 value` / `PRT-n value`, in message order.
 */
function hl7Fields(row: Fields, message: Hl7Message): void {
  const [type, event] = (message.messageType ?? '').split('^');
  add(row, 'hl7.message.type', type || null);
  add(row, 'hl7.event.type', event || null);
  const m = message;
  add(row, 'hl7.segment', mshLine([m.sendingApplication, m.sendingFacility, m.receivingApplication, m.receivingFacility, m.messageTime, m.messageType, m.controlId, m.version]));
  for (const id of m.segmentIds.slice(1)) add(row, 'hl7.segment', id);
  for (const id of m.equipmentIds) add(row, 'hl7.segment', `OBX-18 ${id}`);
  for (const device of m.devices) {
    for (const id of device.devices) add(row, 'hl7.segment', `PRT-10 ${id}`);
    const parts = [device.deviceIdentifier, device.manufactureDate, device.expiryDate, device.lotNumber, device.serialNumber, device.donationId, device.deviceType];
    parts.forEach((value, i) => add(row, 'hl7.segment', value === null ? null : `PRT-${PRT_UDI_FIELDS[i] ?? 0} ${value}`));
  }
}

/**
 * tshark's raw segments (each ending in a shown `\r` or `\r\n`) in the form of `hl7Fields`: split
 * on the delimiters of the MSH segment as sent, no escape resolved.
 */
function normaliseSegments(segments: readonly string[]): string[] {
  const raw = segments.map((segment) => segment.replace(/\\r(\\n)?$/, ''));
  const msh = raw[0] ?? '';
  const [separator, component, repetition] = [msh.charAt(3), msh.charAt(4), msh.charAt(5)];
  const field = msh.split(separator);
  const first = (n: number): string | null => (field[n - 1] ?? '').split(component)[0] || null;
  const value = (n: number): string | null => field[n - 1] || null;
  const line = mshLine([value(3), value(4), value(5), value(6), first(7), value(9), value(10), first(12)]);
  const rest = raw.slice(1).map((segment) => segment.split(separator));
  const repetitions = (text: string | undefined): string[] => (text ?? '').split(repetition).filter((r) => r !== '');
  const obx = rest.filter((f) => f[0] === 'OBX').flatMap((f) => repetitions(f[18]).map((id) => `OBX-18 ${id}`));
  const prt = rest
    .filter((f) => f[0] === 'PRT')
    .flatMap((f) => [...repetitions(f[10]).map((id) => `PRT-10 ${id}`), ...PRT_UDI_FIELDS.filter((n) => (f[n] ?? '') !== '').map((n) => `PRT-${n} ${f[n] ?? ''}`)]);
  return [line, ...rest.map((f) => f[0] ?? ''), ...obx, ...prt];
}

function normalise(field: string, tshark: readonly string[]): string[] {
  if (AE_FIELDS.has(field)) return tshark.map((title) => title.trim());
  if (UID_FIELDS.has(field)) return tshark.map((text) => /\(([0-9.]+)\)$/.exec(text)?.[1] ?? text);
  if (field === 'hl7.segment') return normaliseSegments(tshark);
  return [...tshark];
}

/** A fresh extractor (it keeps the streams of one capture). */
export function medicalExtractor(): MedicalExtractor {
  const streams = new TcpStreams();
  /** Streams that turned out not to be DICOM or HL7: ignored until they close. */
  const refused = new Set<string>();

  const parse = (key: string, bytes: Uint8Array, app: number): Fields | null => {
    const row: Fields = {};
    let at = 0;
    for (;;) {
      const result = app === APP_DICOM ? decodeDicom(bytes, at) : decodeHl7(bytes, at);
      if (needsMore(result)) break;
      if (result === null) {
        refused.add(key);
        streams.end(key);
        return Object.keys(row).length > 0 ? row : null;
      }
      if ('type' in result) dicomFields(row, result);
      else hl7Fields(row, result);
      at += result.size;
    }
    streams.consume(key, at);
    return Object.keys(row).length > 0 ? row : null;
  };

  return {
    fields: [...DICOM_FIELDS, ...HL7_FIELDS],
    // tshark's HL7 dissector owns only TCP 2575 and a heuristic; 6661 is the captures' MLLP port.
    decodeAs: ['tcp.port==6661,hl7'],
    normalise,
    frame(frame, d: Dissection, dissected): Fields | null {
      if (!dissected || d.l4 !== L4_TCP || (d.app !== APP_DICOM && d.app !== APP_HL7)) return null;
      const key = streamKey(frame.bytes, d);
      let row: Fields | null = null;
      if (!refused.has(key)) {
        // A SYN takes one sequence number: its data, if any, starts after it (RFC 9293 §3.4).
        const seq = (d.tcpFlags & TCP_SYN) !== 0 ? (d.tcpSeq + 1) >>> 0 : d.tcpSeq;
        const payload = frame.bytes.subarray(d.payloadOffset, d.payloadOffset + d.payloadLength);
        const bytes = streams.push(key, seq, payload, frame.tsMs);
        if (bytes !== null) row = parse(key, bytes, d.app);
      }
      if ((d.tcpFlags & (TCP_FIN | TCP_RST)) !== 0) {
        streams.end(key);
        refused.delete(key);
      }
      return row;
    },
  };
}

/** `compareCapture` with the medical extractor (its `normalise` reduces tshark's text forms). */
export function compareMedical(path: string, extractor = medicalExtractor()): Promise<Comparison> {
  return compareCapture(path, extractor);
}
