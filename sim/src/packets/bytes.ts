/** Byte assembly shared by the packet builders. Builders allocate freely: they are not on a hot path. */
import { SimError } from '../errors.js';

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Text as single bytes (ASCII / ISO 8859-1); wire protocols here never carry other characters. */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function u8(value: number): Uint8Array {
  checkRange(value, 0xff, 'u8');
  return Uint8Array.of(value);
}

export function u16(value: number): Uint8Array {
  checkRange(value, 0xffff, 'u16');
  return Uint8Array.of(value >>> 8, value & 0xff);
}

export function u24(value: number): Uint8Array {
  checkRange(value, 0xffffff, 'u24');
  return Uint8Array.of(value >>> 16, (value >>> 8) & 0xff, value & 0xff);
}

export function u32(value: number): Uint8Array {
  checkRange(value, 0xffffffff, 'u32');
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** Little-endian 16 and 32 bit fields, for DICOM's implicit VR little endian command sets. */
export function u16le(value: number): Uint8Array {
  checkRange(value, 0xffff, 'u16le');
  return Uint8Array.of(value & 0xff, value >>> 8);
}

export function u32le(value: number): Uint8Array {
  checkRange(value, 0xffffffff, 'u32le');
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
}

export function checkRange(value: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new SimError('SIM_ERR_FIELD_RANGE', `${field} = ${value} (0..${max})`);
  }
}

/** A view of the same bytes through a DataView, respecting the byteOffset of pooled Buffers. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
