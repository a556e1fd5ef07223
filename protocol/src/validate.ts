import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { HealthSchema, ObservationBatchSchema, StatusSchema, type Health, type ObservationBatch, type Status } from './schemas.js';
import type { MessageKind } from './topics.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const ajv = new Ajv({ allErrors: false, strict: true });
addFormats(ajv);

export interface MessageByKind {
  observations: ObservationBatch;
  health: Health;
  status: Status;
}
export type ValidatedKind = keyof MessageByKind;

const validators: { [K in ValidatedKind]: ValidateFunction<MessageByKind[K]> } = {
  observations: ajv.compile<ObservationBatch>(ObservationBatchSchema),
  health: ajv.compile<Health>(HealthSchema),
  status: ajv.compile<Status>(StatusSchema),
};

export type DecodeResult<T> =
  | { ok: true; message: T }
  | { ok: false; reason: 'not-json' | 'schema' | 'unknown-kind'; detail: string };

function describe(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'does not match the schema';
  return `${first.instancePath || '(root)'} ${first.message ?? 'is invalid'}`;
}

export function isValidatedKind(kind: MessageKind): kind is ValidatedKind {
  return kind in validators;
}

/** Validates an already-parsed value against the schema of `kind`. */
export function validateMessage<K extends ValidatedKind>(kind: K, value: unknown): DecodeResult<MessageByKind[K]> {
  const validate = validators[kind] as ValidateFunction<MessageByKind[K]>;
  if (validate(value)) return { ok: true, message: value };
  return { ok: false, reason: 'schema', detail: describe(validate.errors) };
}

/** Parses an MQTT payload and validates it; never throws. */
export function decodeMessage<K extends ValidatedKind>(kind: K, payload: Uint8Array): DecodeResult<MessageByKind[K]> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'not-json', detail: (err as Error).message };
  }
  return validateMessage(kind, value);
}

export function encodeMessage(message: ObservationBatch | Health | Status): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}
