/** Stable error codes of classification. A code is never reused for another meaning. */
export const CLASSIFY_ERRORS = {
  CLASSIFY_ERR_RULE_FILE: 'A rule file could not be read or is not a rule file',
  CLASSIFY_ERR_RULE: 'A rule is invalid',
  CLASSIFY_ERR_RULE_EXAMPLE: 'A rule does not do what its own example says',
  CLASSIFY_ERR_VENDOR: 'A vendor name entry is invalid',
} as const;
export type ClassifyErrorCode = keyof typeof CLASSIFY_ERRORS;

export class ClassifyError extends Error {
  readonly code: ClassifyErrorCode;
  constructor(code: ClassifyErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`${CLASSIFY_ERRORS[code]}: ${detail}`, options);
    this.name = 'ClassifyError';
    this.code = code;
  }
}
