import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** A scrape, parsed by an independent Prometheus text-format parser. */
export interface Scrape {
  families: ReturnType<typeof parsePrometheusTextFormat>;
  /** The value of a counter or gauge sample whose labels include `labels` (summed over the rest); 0 if none. */
  value(name: string, labels?: Record<string, string>): number;
  /** Every label set of a family. */
  labels(name: string): Array<Record<string, string>>;
}

const matches = (sample: { labels?: Record<string, string> }, labels: Record<string, string>) =>
  Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v);

/** Parses the Prometheus text exposition format (throws on a malformed line). */
export function parseScrape(text: string): Scrape {
  const families = parsePrometheusTextFormat(text);
  const family = (name: string) => families.find((f) => f.name === name)?.metrics ?? [];
  return {
    families,
    value: (name, labels = {}) =>
      family(name)
        .filter((s) => matches(s, labels))
        .reduce((sum, s) => sum + Number(s.value), 0),
    labels: (name) => family(name).map((s) => s.labels ?? {}),
  };
}
