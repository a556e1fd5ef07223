/**
 * What a stream decoder (TLS, HTTP, DICOM, HL7, banners) returns when the bytes so far are a valid
 * beginning of a message that is not yet complete, as distinct from `null` (malformed: give up).
 */
export const NEED_MORE: unique symbol = Symbol('need more bytes');
export type NeedMore = typeof NEED_MORE;

export function needsMore(value: unknown): value is NeedMore {
  return value === NEED_MORE;
}
