/** Stable error codes of the edge core. A code is never reused for another meaning. */
export const EDGE_ERRORS = {
  EDGE_ERR_CAPTURE_OPEN: 'The capture could not be opened',
  EDGE_ERR_CAPTURE_LINKTYPE: 'The capture has a link type the sensor does not decode',
  EDGE_ERR_CAPTURE_FILE: 'The capture file is damaged or not a capture',
  EDGE_ERR_CAPTURE_LOST: 'The capture stopped before its end',
  EDGE_ERR_STORE_LOCKED: 'The sensor store is in use by another process',
  EDGE_ERR_STORE_OPEN: 'The sensor store could not be opened',
  EDGE_ERR_PUBLISH: 'A message could not be published to the hub',
} as const;
export type EdgeErrorCode = keyof typeof EDGE_ERRORS;

export class EdgeError extends Error {
  readonly code: EdgeErrorCode;
  constructor(code: EdgeErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`${EDGE_ERRORS[code]}: ${detail}`, options);
    this.name = 'EdgeError';
    this.code = code;
  }
}
