/**
 * Errors of the external Mosquitto broker: writing its configuration, running it, and controlling
 * who it lets in. Their codes are the hub's own (errors.ts), so one table says what each means.
 */
import { HUB_ERRORS, HubError, type HubErrorCode } from '../errors.js';

export type MosquittoErrorCode = Extract<HubErrorCode, `HUB_ERR_MOSQUITTO_${string}` | 'HUB_ERR_SENSOR_ID'>;

export const MOSQUITTO_ERRORS = {
  HUB_ERR_MOSQUITTO_CONFIG: HUB_ERRORS.HUB_ERR_MOSQUITTO_CONFIG,
  HUB_ERR_MOSQUITTO_START: HUB_ERRORS.HUB_ERR_MOSQUITTO_START,
  HUB_ERR_MOSQUITTO_RELOAD: HUB_ERRORS.HUB_ERR_MOSQUITTO_RELOAD,
  HUB_ERR_MOSQUITTO_CONTROL: HUB_ERRORS.HUB_ERR_MOSQUITTO_CONTROL,
  HUB_ERR_SENSOR_ID: HUB_ERRORS.HUB_ERR_SENSOR_ID,
} as const satisfies Record<MosquittoErrorCode, { status: number; message: string }>;

export class MosquittoError extends HubError {
  declare readonly code: MosquittoErrorCode;
  constructor(code: MosquittoErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(code, detail, options);
    this.name = 'MosquittoError';
  }
}
