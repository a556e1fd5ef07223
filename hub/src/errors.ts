/** Stable error codes of the hub; each has an HTTP status where one applies. A code is never reused. */

export const HUB_ERRORS = {
  HUB_ERR_UNAUTHENTICATED: { status: 401, message: 'A valid credential is required' },
  HUB_ERR_NOT_FOUND: { status: 404, message: 'No such resource' },
  HUB_ERR_DATA_DIR: { status: 500, message: 'The hub data directory is not usable' },
  HUB_ERR_STORE_LOCKED: { status: 500, message: 'The hub store is in use by another process' },
  HUB_ERR_LISTEN: { status: 500, message: 'The hub could not listen on its address' },
  HUB_ERR_NOT_RUNNING: { status: 503, message: 'No hub is running for this data directory' },
  HUB_ERR_BAD_SENSOR: { status: 400, message: 'The sensor description is not acceptable' },
  HUB_ERR_SENSOR_EXISTS: { status: 409, message: 'The sensor exists' },
  HUB_ERR_SENSOR_UNKNOWN: { status: 404, message: 'No such sensor' },
  HUB_ERR_CRL: { status: 500, message: 'The certificate revocation list could not be issued or loaded' },
  HUB_ERR_BROKER_KIND: { status: 500, message: 'Unknown broker kind: use "embedded" or "mosquitto"' },
  HUB_ERR_MOSQUITTO_CONFIG: { status: 500, message: 'The Mosquitto configuration could not be written' },
  HUB_ERR_MOSQUITTO_START: { status: 500, message: 'Mosquitto did not start' },
  HUB_ERR_MOSQUITTO_RELOAD: { status: 503, message: 'Mosquitto did not confirm that it reloaded its configuration' },
  HUB_ERR_MOSQUITTO_CONTROL: { status: 503, message: 'Mosquitto refused or did not answer a dynamic-security command' },
  HUB_ERR_SENSOR_ID: { status: 400, message: 'Not a valid sensor id' },
  HUB_ERR_COLLECTION: { status: 500, message: 'Not a collection name the store offers' },
  HUB_ERR_ALERT_FINDING: { status: 400, message: 'The finding cannot be raised as an alert' },
  HUB_ERR_ALERT_UNKNOWN: { status: 404, message: 'No such alert' },
  HUB_ERR_ALERT_TRANSITION: { status: 409, message: 'The alert cannot move to that state' },
  HUB_ERR_ALERT_SINK: { status: 500, message: 'An alert destination is not usable; check the --syslog and --webhook settings' },
  HUB_ERR_ALERT_DELIVERY: { status: 502, message: 'An alert event was not delivered; it stays queued and is retried' },
  HUB_ERR_ALERT_CLOSED: { status: 503, message: 'The alert book is closed; the hub is stopping' },
  HUB_ERR_ASSET_MAPPING: { status: 400, message: 'The column mapping of the asset register is not usable' },
  HUB_ERR_ASSET_SIZE: { status: 413, message: 'The asset register file is larger than the hub accepts' },
  HUB_ERR_ASSET_CSV: { status: 400, message: 'The asset register file is not well-formed CSV' },
  HUB_ERR_ASSET_QUOTE: { status: 400, message: 'A quoted value in the asset register file is never closed' },
  HUB_ERR_ASSET_HEADER: { status: 400, message: 'The header row of the asset register file does not fit the mapping' },
  HUB_ERR_ASSET_COLUMN_COUNT: { status: 400, message: 'A row of the asset register file has the wrong number of columns' },
  HUB_ERR_ASSET_MAC: { status: 400, message: 'A MAC address in the asset register file is not valid' },
  HUB_ERR_ASSET_CRITICALITY: { status: 400, message: 'A criticality in the asset register file is not one the mapping knows' },
  HUB_ERR_ASSET_DUPLICATE: { status: 400, message: 'The asset register file lists one asset twice' },
  HUB_ERR_ASSET_VALUE: { status: 400, message: 'An asset value is not acceptable' },
  HUB_ERR_ASSET_NO_KEY: { status: 400, message: 'The asset needs an asset tag or a serial number' },
  HUB_ERR_ASSET_AMBIGUOUS: { status: 409, message: 'More than one asset is linked to this device' },
  HUB_ERR_FEED_BODY: { status: 415, message: 'A feed file is sent as its bytes (application/octet-stream)' },
  HUB_ERR_FEED_KIND: { status: 400, message: 'The file is not a feed the hub reads' },
  HUB_ERR_FEED_ATTRIBUTION: { status: 400, message: 'A maker and model can be given only to SBOMs and MDS2 forms, and only together' },
  HUB_ERR_MATCH_DECISION: { status: 400, message: 'The match decision is not acceptable' },
  HUB_ERR_RUBRIC: { status: 400, message: 'The rubric answers are not acceptable' },
  HUB_ERR_STORE_CONNECT: { status: 503, message: 'The hub could not connect to its PostgreSQL database; check the address, the database name and the credential' },
  HUB_ERR_STORE_SCHEMA: { status: 500, message: 'The PostgreSQL database holds a schema this hub does not know; it was migrated by a newer hub' },
} as const;
export type HubErrorCode = keyof typeof HUB_ERRORS;

export class HubError extends Error {
  readonly code: HubErrorCode;
  readonly statusCode: number;
  constructor(code: HubErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${HUB_ERRORS[code].message}: ${detail}` : HUB_ERRORS[code].message, options);
    this.name = 'HubError';
    this.code = code;
    this.statusCode = HUB_ERRORS[code].status;
  }
}

/** Reasons an incoming message is rejected; each is counted under this name. */
export const INGEST_REJECTIONS = ['notJson', 'schema', 'identityMismatch', 'unknownTopic'] as const;
export type IngestRejection = (typeof INGEST_REJECTIONS)[number];
