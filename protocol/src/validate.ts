import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { AckCommandSchema, BehaviourBatchSchema, HealthSchema, ObservationBatchSchema, StatusSchema, type AckCommand, type BehaviourBatch, type Health, type ObservationBatch, type Status } from './schemas.js';
import type { MessageKind } from './topics.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (ajv: Ajv, options?: { mode?: 'fast' | 'full' }) => Ajv;

const ajv = new Ajv({ allErrors: false, strict: true });
// The fast form of each format (date-time by its RFC 3339 pattern, without calendar arithmetic): the
// hub checks tens of thousands of timestamps a second, and the store compares them as UTC text anyway.
addFormats(ajv, { mode: 'fast' });

export interface MessageByKind {
  observations: ObservationBatch;
  behaviour: BehaviourBatch;
  health: Health;
  status: Status;
  commands: AckCommand;
}
export type ValidatedKind = keyof MessageByKind;

const validators: { [K in ValidatedKind]: ValidateFunction<MessageByKind[K]> } = {
  observations: ajv.compile<ObservationBatch>(ObservationBatchSchema),
  behaviour: ajv.compile<BehaviourBatch>(BehaviourBatchSchema),
  health: ajv.compile<Health>(HealthSchema),
  status: ajv.compile<Status>(StatusSchema),
  commands: ajv.compile<AckCommand>(AckCommandSchema),
};

export type DecodeResult<T> =
  | { ok: true; message: T }
  /** `seq` is the message's own sequence number where it has a usable one, so that a refusal can name it. */
  | { ok: false; reason: 'not-json' | 'schema'; detail: string; seq?: number };

/** The first problem in words a person can act on, naming an unexpected property when there is one. */
export function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'does not match the schema';
  const extra = (first.params as { additionalProperty?: unknown }).additionalProperty;
  const where = first.instancePath || '(root)';
  return typeof extra === 'string' ? `${where} has an unexpected property '${extra}'` : `${where} ${first.message ?? 'is invalid'}`;
}

/** Strict UTF-8: a payload with invalid bytes is refused rather than silently repaired. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function isValidatedKind(kind: MessageKind): kind is ValidatedKind {
  return kind in validators;
}

/** Validates an already-parsed value against the schema of `kind`. */
export function validateMessage<K extends ValidatedKind>(kind: K, value: unknown): DecodeResult<MessageByKind[K]> {
  const validate = validators[kind] as ValidateFunction<MessageByKind[K]>;
  if (validate(value)) return { ok: true, message: value };
  const seq = typeof value === 'object' && value !== null ? (value as { seq?: unknown }).seq : undefined;
  const failure = { ok: false as const, reason: 'schema' as const, detail: describeSchemaError(validate.errors) };
  return Number.isSafeInteger(seq) && (seq as number) >= 1 ? { ...failure, seq: seq as number } : failure;
}

/** Parses an MQTT payload and validates it; never throws. */
export function decodeMessage<K extends ValidatedKind>(kind: K, payload: Uint8Array): DecodeResult<MessageByKind[K]> {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(payload));
  } catch (err) {
    return { ok: false, reason: 'not-json', detail: (err as Error).message };
  }
  return validateMessage(kind, value);
}

export function encodeMessage(message: ObservationBatch | BehaviourBatch | Health | Status | AckCommand): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}
