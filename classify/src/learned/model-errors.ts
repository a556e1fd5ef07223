/**
 * Errors of learned fingerprints, with stable codes beside those of `errors.ts`: a model file that
 * cannot be used, a labels table that cannot be read, a training set that cannot be learned from.
 */
export const LEARNED_ERRORS = {
  CLASSIFY_ERR_MODEL_FILE: 'Not a usable learned fingerprint model',
  CLASSIFY_ERR_LABELS: 'The labels table cannot be used',
  CLASSIFY_ERR_TRAINING: 'Nothing to learn from',
} as const;
export type LearnedErrorCode = keyof typeof LEARNED_ERRORS;

export class LearnedModelError extends Error {
  readonly code: LearnedErrorCode;
  constructor(code: LearnedErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`${LEARNED_ERRORS[code]}: ${detail}`, options);
    this.name = 'LearnedModelError';
    this.code = code;
  }
}

/** Checks on untrusted JSON, naming the path of whatever is wrong. */
export class JsonCheck {
  constructor(private readonly what: string) {}

  fail(path: string, problem: string): never {
    throw new LearnedModelError('CLASSIFY_ERR_MODEL_FILE', `${this.what}: ${path} ${problem}`);
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'is not an object');
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'is not an array');
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, 'is not a string');
    return value;
  }

  number(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, 'is not a finite number');
    return value;
  }

  /** An integer in [0, limit). */
  index(value: unknown, path: string, limit: number): number {
    const n = this.number(value, path);
    if (!Number.isInteger(n) || n < 0 || n >= limit) this.fail(path, `is not an index below ${limit}`);
    return n;
  }

  strings(value: unknown, path: string): string[] {
    return this.array(value, path).map((v, i) => this.string(v, `${path}[${i}]`));
  }

  indices(value: unknown, path: string, limit: number): number[] {
    return this.array(value, path).map((v, i) => this.index(v, `${path}[${i}]`, limit));
  }
}
