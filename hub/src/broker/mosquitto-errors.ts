/**
 * Stable error codes of the external Mosquitto broker: writing its configuration, running it,
 * and controlling who it lets in. Same shape as the hub's HUB_ERRORS; a code is never reused.
 */
export const MOSQUITTO_ERRORS = {
  HUB_ERR_MOSQUITTO_CONFIG: { status: 500, message: 'The Mosquitto configuration could not be written' },
  HUB_ERR_MOSQUITTO_START: { status: 500, message: 'Mosquitto did not start' },
  HUB_ERR_MOSQUITTO_RELOAD: { status: 503, message: 'Mosquitto did not confirm that it reloaded its configuration' },
  HUB_ERR_MOSQUITTO_CONTROL: { status: 503, message: 'Mosquitto refused or did not answer a dynamic-security command' },
  HUB_ERR_SENSOR_ID: { status: 400, message: 'Not a valid sensor id' },
} as const;
export type MosquittoErrorCode = keyof typeof MOSQUITTO_ERRORS;

export class MosquittoError extends Error {
  readonly code: MosquittoErrorCode;
  readonly statusCode: number;
  constructor(code: MosquittoErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${MOSQUITTO_ERRORS[code].message}: ${detail}` : MOSQUITTO_ERRORS[code].message, options);
    this.name = 'MosquittoError';
    this.code = code;
    this.statusCode = MOSQUITTO_ERRORS[code].status;
  }
}
