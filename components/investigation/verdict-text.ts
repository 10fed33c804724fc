/**
 * Which translated title and fix belong to a diagnosis verdict. The server
 * writes them in English; cause "c" has two readings, told apart by title.
 */
export type VerdictVariant = "a" | "b" | "c_twice" | "c_live" | "d" | "e" | "f" | "unknown";

export interface VerdictPayload {
  cause: string;
  title: string;
  fix: string;
  evidence: Record<string, unknown>;
}

export function verdictVariant(v: { cause: string; title: string }): VerdictVariant {
  if (v.cause === "c") return /already live/i.test(v.title) ? "c_live" : "c_twice";
  return (["a", "b", "d", "e", "f"] as const).find((c) => c === v.cause) ?? "unknown";
}

export function parseVerdict(payload: Record<string, unknown>): VerdictPayload | null {
  const v = payload.verdict as Partial<VerdictPayload> | undefined;
  if (!v || typeof v.cause !== "string" || typeof v.title !== "string") return null;
  return { cause: v.cause, title: v.title, fix: typeof v.fix === "string" ? v.fix : "", evidence: v.evidence && typeof v.evidence === "object" ? v.evidence : {} };
}

/** Epoch-ms evidence (…At, timesOutBetween) becomes a clock time; the rest is shown as JSON. */
export function isEpochMs(v: unknown): v is number {
  return typeof v === "number" && v > 1e12 && v < 1e13;
}
