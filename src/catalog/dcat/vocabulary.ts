import type { UpdateCycle } from '../vocab.js';

/** Namespaces of the DCAT-AP 3 output, as Turtle prefixes and the JSON-LD context. */
export const NS = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatap: 'http://data.europa.eu/r5r/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

const EU = 'http://publications.europa.eu/resource/authority';

/** The EU Frequency NAL concept of each 更新周期, with its English label. */
export const FREQUENCY_SCHEME = `${EU}/frequency`;
export const FREQUENCIES: Record<UpdateCycle, { code: string; label: string }> = {
  realtime: { code: 'UPDATE_CONT', label: 'continuously updated' },
  daily: { code: 'DAILY', label: 'daily' },
  weekly: { code: 'WEEKLY', label: 'weekly' },
  monthly: { code: 'MONTHLY', label: 'monthly' },
  quarterly: { code: 'QUARTERLY', label: 'quarterly' },
  half_yearly: { code: 'ANNUAL_2', label: 'semiannual' },
  yearly: { code: 'ANNUAL', label: 'annual' },
  irregular: { code: 'IRREG', label: 'irregular' },
};

// Formats that the EU File Type NAL names; any other format gets an IRI of our own.
const FILE_TYPES = [
  'CSV',
  'XLSX',
  'XLS',
  'JSON',
  'XML',
  'PDF',
  'ZIP',
  'PARQUET',
  'SHP',
  'GEOJSON',
  'DOCX',
  'TXT',
  'HTML',
];

/** The IRI of a format: the EU File Type concept when there is one. */
export function formatIri(base: string, format: string): string {
  const upper = format.trim().toUpperCase();
  return FILE_TYPES.includes(upper)
    ? `${EU}/file-type/${upper}`
    : `${base}/api/v1/catalog/formats/${encodeURIComponent(format.trim())}`;
}

/** The IRI of a licence: a URL as given, an SPDX identifier (CC-BY-4.0) at spdx.org, else one of ours. */
export function licenceIri(base: string, licence: string): string {
  if (/^https?:\/\//.test(licence)) return licence;
  if (/^[A-Za-z0-9.+-]+$/.test(licence)) return `https://spdx.org/licenses/${licence}`;
  return `${base}/api/v1/catalog/licences/${encodeURIComponent(licence)}`;
}
