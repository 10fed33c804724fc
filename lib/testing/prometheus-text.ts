import parsePrometheusTextFormat from "parse-prometheus-text-format";

/**
 * Prometheus text format parsed by a maintained third-party parser
 * (parse-prometheus-text-format, prom2json-compatible output; it throws on
 * malformed lines), with a lookup for one series' value. Tests use it so the
 * parser that validates /metrics is not ours. Its one gap: a histogram with
 * labels besides `le` comes back folded into one entry without its labels or
 * count, so a histogram's per-series count is read from its `_count` line.
 */
export interface PromFamily {
  name: string;
  help: string;
  type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }[];
}

export type ParsedMetrics = PromFamily[] & { text: string };

export function parsePrometheus(text: string): ParsedMetrics {
  return Object.assign(parsePrometheusTextFormat(text) as PromFamily[], { text });
}

/** Sum of the samples of `name` whose labels include `labels` (0 when none). */
export function seriesValue(families: ParsedMetrics, name: string, labels: Record<string, string> = {}): number {
  const fam = families.find((f) => f.name === name);
  if (!fam) return 0;
  if (fam.type === "HISTOGRAM") return histogramCount(families.text, name, labels);
  let sum = 0;
  for (const m of fam.metrics) {
    if (!Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)) continue;
    sum += Number(m.value ?? m.count ?? 0);
  }
  return sum;
}

/** Sum of `<name>_count` samples whose labels include `labels` (the parser folds labelled histograms). */
function histogramCount(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}_count`)) continue;
    const m = /^\S+?(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const got = Object.fromEntries([...(m[1] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[2]);
  }
  return sum;
}
