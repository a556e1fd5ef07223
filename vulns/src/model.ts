/**
 * What the vulnerability feeds say, in one shape whatever the feed. Parsers (`feeds/`) turn files
 * into these records; the matcher (`match/`) holds them against devices; the hub stores them.
 * Every record keeps the text it was read from beside what was understood of it, so an analyst can
 * always see why a match was made.
 */

/** The feeds Wardsight reads. */
export type FeedKind = 'csaf' | 'cve5' | 'nvd' | 'kev' | 'epss' | 'cyclonedx' | 'spdx' | 'mds2';

/** Where a statement was read: the file, and the document inside it. */
export interface SourceRef {
  feed: FeedKind;
  /** The file's path as given to the importer. */
  file: string;
  /** The document's own id: the advisory tracking id, the CVE id, the SBOM serial number… */
  document: string;
}

/**
 * A problem met while reading a file: it names the file and the place in it (a JSON pointer such
 * as `/vulnerabilities/3/scores/0`, `line 12, column 4`, or `sheet 1, row 40`), and says what is
 * wrong in words a person can act on. A problem never stops the rest of the file from importing
 * where the rest can be read.
 */
export interface FeedProblem {
  file: string;
  place: string;
  message: string;
  /**
   * Set where nothing is wrong with the file, only something worth knowing (a record that names
   * no product to match): it is shown, but the import is not said to have failed.
   */
  notice?: true;
}

// ---------------------------------------------------------------------------------------------
// Versions

/** One end of a version interval. */
export interface VersionBound {
  version: string;
  inclusive: boolean;
}

/** A closed, open or half-open interval of versions; `start` and `end` absent mean unbounded. */
export interface VersionInterval {
  start?: VersionBound;
  end?: VersionBound;
}

/**
 * A version constraint as published and as understood. `any` covers every version (`vers:all/*`,
 * "all versions"); otherwise the constraint is the union of `intervals` (an exact version is an
 * interval whose two inclusive ends are equal). `understood: false` means the text could not be
 * read as versions (a date, a model number where a version belongs): a device then matches with
 * the verdict "version not comparable", never silently.
 */
export interface VersionConstraint {
  raw: string;
  any: boolean;
  intervals: VersionInterval[];
  understood: boolean;
}

// ---------------------------------------------------------------------------------------------
// Products and vulnerabilities

export type ProductStatus = 'affected' | 'fixed' | 'not_affected' | 'under_investigation' | 'unknown';

/**
 * One product that one source says a vulnerability touches (or does not). Names are as published;
 * the matcher normalises them.
 */
export interface ProductStatement {
  vendor: string;
  /** The product's name; for a CSAF product tree, the names from the vendor down, joined by ` / `. */
  product: string;
  versions: VersionConstraint;
  status: ProductStatus;
  /** CPE 2.3 formatted string, where the source gives one. */
  cpe?: string;
  purl?: string;
  /** The source's own product id (CSAF `product_id`). */
  productId?: string;
}

/** One CPE match criterion of an NVD configuration node. */
export interface CpeMatchCriterion {
  vulnerable: boolean;
  /** CPE 2.3 formatted string. */
  criteria: string;
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
}

/** A node of an NVD configuration: criteria and child nodes combined by AND or OR. */
export interface ConfigurationNode {
  operator: 'AND' | 'OR';
  negate: boolean;
  cpeMatch: CpeMatchCriterion[];
  children: ConfigurationNode[];
}

/** An NVD configuration: its nodes are combined by `operator` (OR where NVD gives none). */
export interface Configuration {
  operator: 'AND' | 'OR';
  negate: boolean;
  nodes: ConfigurationNode[];
}

export type CvssVersion = '3.0' | '3.1' | '4.0';

/** A CVSS vector as a source states it, with the score the source claims (never trusted as is). */
export interface CvssStatement {
  version: CvssVersion;
  vector: string;
  statedScore?: number;
  /** Who gave it: `cisa-csaf`, `cna`, `cisa-adp`, `nvd`… */
  source: string;
  /** CSAF product ids the score applies to, where the source says. */
  productIds?: string[];
}

export type RemediationCategory = 'vendor_fix' | 'mitigation' | 'workaround' | 'no_fix_planned' | 'none_available';

export interface Remediation {
  category: RemediationCategory;
  details: string;
  url?: string;
  /** CSAF product ids the remediation applies to; absent means every affected product. */
  productIds?: string[];
}

/** One vulnerability as one document states it. */
export interface VulnerabilityRecord {
  /** The CVE id, or `<advisory id>#<n>` where the advisory gives none. */
  id: string;
  title?: string;
  description?: string;
  cwes: string[];
  published?: string;
  updated?: string;
  cvss: CvssStatement[];
  products: ProductStatement[];
  configurations: Configuration[];
  remediations: Remediation[];
  /** Advisory ids that speak of it (`ICSMA-18-156-01`). */
  advisories: string[];
  references: string[];
  source: SourceRef;
}

/** A published advisory: one vendor's products, one or more vulnerabilities. */
export interface AdvisoryRecord {
  /** The tracking id as published (`ICSMA-18-156-01`). */
  id: string;
  title: string;
  publisher: string;
  /** Vendor names as the product tree gives them. */
  vendors: string[];
  published: string;
  updated: string;
  /** The revision's version (`1.2.0`) and the number of revisions: an update changes it. */
  revision: string;
  cves: string[];
  url?: string;
  source: SourceRef;
}

// ---------------------------------------------------------------------------------------------
// Exploitation signals

/** An entry of the CISA Known Exploited Vulnerabilities catalog. */
export interface KevEntry {
  cve: string;
  vendorProject: string;
  product: string;
  name: string;
  dateAdded: string;
  dueDate: string;
  requiredAction: string;
  knownRansomwareCampaignUse: boolean;
  notes: string;
  cwes: string[];
}

/** An EPSS score: the probability of exploitation activity in the next 30 days, and its percentile. */
export interface EpssScore {
  cve: string;
  epss: number;
  percentile: number;
  /** The score date from the file's comment line (`score_date:…`), where present. */
  date?: string;
  model?: string;
}

// ---------------------------------------------------------------------------------------------
// Makers' disclosures

export type SbomComponentType =
  | 'application' | 'framework' | 'library' | 'container' | 'platform' | 'operating-system'
  | 'device' | 'device-driver' | 'firmware' | 'file' | 'machine-learning-model' | 'data' | 'other';

export interface SbomComponent {
  ref: string;
  type: SbomComponentType;
  supplier?: string;
  name: string;
  version?: string;
  cpe?: string;
  purl?: string;
}

export type VexState = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** A VEX statement inside an SBOM: the maker's word on one vulnerability in its product. */
export interface VexStatement {
  id: string;
  state: VexState;
  justification?: string;
  detail?: string;
  /** Component refs the statement applies to. */
  affects: string[];
  /** The state as the document wrote it, where its vocabulary differs (CycloneDX `exploitable`). */
  statedState?: string;
  /** The justification as the document wrote it, where it was mapped (CycloneDX `code_not_reachable`). */
  statedJustification?: string;
}

/** A software bill of materials for one device model. */
export interface SbomRecord {
  format: 'cyclonedx' | 'spdx';
  specVersion: string;
  serial: string;
  /** The device the SBOM describes (CycloneDX `metadata.component`, SPDX's described package). */
  subject: { supplier?: string; name: string; version?: string; type?: SbomComponentType };
  components: SbomComponent[];
  vex: VexStatement[];
  created?: string;
  source: SourceRef;
}

/** An MDS2 answer normalised, with the raw text kept. */
export type Mds2Value = 'yes' | 'no' | 'n/a' | 'see-notes' | 'other';

export interface Mds2Answer {
  /** The question id as normalised (`SAHD-15`; a mis-typed `SHAD-15` is corrected and noted). */
  id: string;
  section: string;
  question: string;
  value: Mds2Value;
  raw: string;
  notes?: string;
  /** The id as written on the form, where it differed. */
  writtenId?: string;
}

/** A Manufacturer Disclosure Statement for Medical Device Security (ANSI/NEMA HN 1-2019). */
export interface Mds2Record {
  manufacturer: string;
  model: string;
  documentId?: string;
  date?: string;
  answers: Mds2Answer[];
  source: SourceRef;
}

/** Everything one file held, and what could not be read of it. */
export interface FeedDocument {
  kind: FeedKind;
  file: string;
  advisories: AdvisoryRecord[];
  vulnerabilities: VulnerabilityRecord[];
  kev: KevEntry[];
  epss: EpssScore[];
  sboms: SbomRecord[];
  mds2: Mds2Record[];
  problems: FeedProblem[];
}

// ---------------------------------------------------------------------------------------------
// Devices as the matcher sees them

/** A piece of software a device runs, from the inventory or its SBOM. */
export interface DeviceSoftware {
  vendor?: string;
  product: string;
  version?: string;
  cpe?: string;
  purl?: string;
  /** Where the fact came from: `inventory`, `sbom:<serial>`… */
  from: string;
}

/** What the inventory knows of one device, in the terms the matcher needs. */
export interface DeviceDescription {
  vendor?: string;
  model?: string;
  /** The device's firmware or software version as identified. */
  version?: string;
  os?: string;
  osVersion?: string;
  /** CPE 2.3 names the device is known by (its hardware, firmware, OS…). */
  cpes: string[];
  software: DeviceSoftware[];
}

export type MatchBasis = 'csaf' | 'cve5' | 'nvd-cpe' | 'sbom';

/**
 * How sure the version check is: `affected` (the version lies in the range), `version-unknown`
 * (the device's version is not known), `not-comparable` (the published range could not be read).
 */
export type VersionVerdict = 'affected' | 'version-unknown' | 'not-comparable';

/** Why a device matches a vulnerability, in words and in parts. */
export interface MatchReason {
  basis: MatchBasis;
  verdict: VersionVerdict;
  /** A sentence: `Philips IntelliVue MX40 firmware B.06.17 is below B.06.18 (ICSMA-17-255-01).` */
  text: string;
  /** The statement matched: product name and range as published. */
  vendor: string;
  product: string;
  versions: string;
  /** The device's side: the value it was matched on. */
  deviceProduct: string;
  deviceVersion?: string;
}
