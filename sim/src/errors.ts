/** Stable error codes of the traffic simulator. A code is never reused for another meaning. */
export const SIM_ERRORS = {
  SIM_ERR_ADDRESS: 'An address is not written the way the simulator expects',
  SIM_ERR_FIELD_RANGE: 'A protocol field does not fit its width',
  SIM_ERR_TIMESTAMP: 'A capture timestamp is negative or not an integer number of microseconds',
  SIM_ERR_WRITER_CLOSED: 'The capture file writer is already closed',
  SIM_ERR_WRITE: 'The capture file could not be written',
  SIM_ERR_INJECT_OPEN: 'The interface could not be opened for injection (needs root or CAP_NET_RAW)',
  SIM_ERR_INJECT: 'A frame could not be injected into the interface',
} as const;
export type SimErrorCode = keyof typeof SIM_ERRORS;

export class SimError extends Error {
  readonly code: SimErrorCode;
  constructor(code: SimErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`${SIM_ERRORS[code]}: ${detail}`, options);
    this.name = 'SimError';
    this.code = code;
  }
}
