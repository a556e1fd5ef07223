/** Stable error codes of the vulnerability library. A code is never reused. */

export const VULN_ERRORS = {
  VULN_ERR_FEED_KIND: 'The file is not a feed Wardsight reads (CSAF 2.0, CVE JSON 5, NVD CVE API 2.0, KEV, EPSS CSV, CycloneDX, SPDX or an MDS2 workbook)',
  VULN_ERR_FEED_SYNTAX: 'The file is not well-formed',
  VULN_ERR_CPE: 'Not a CPE 2.3 formatted string',
  VULN_ERR_CVSS_VECTOR: 'Not a valid CVSS vector',
  VULN_ERR_RUBRIC: 'The rubric answers are incomplete or not ones the rubric offers',
} as const;
export type VulnErrorCode = keyof typeof VULN_ERRORS;

export class VulnError extends Error {
  constructor(readonly code: VulnErrorCode, detail?: string) {
    super(detail === undefined ? VULN_ERRORS[code] : `${VULN_ERRORS[code]}: ${detail}`);
    this.name = 'VulnError';
  }
}
