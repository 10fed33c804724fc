/** The package ships no types; its default export takes the text and returns prom2json-like families. */
declare module "parse-prometheus-text-format" {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
