import { describe, expect, it } from "vitest";
import { EVENT_KINDS } from "../events/types";
import { ANOMALY_TEXT } from "../lifecycle/anomaly-book";
import { resources } from "./resources";
import { INCIDENT_SEVERITY } from "../lifecycle/incidents";

/** Labels looked up by a value the server sends (`t(`eventKind.${kind}`)`) exist for every value, in both languages. */
describe("labels for every value the server sends", () => {
  for (const lang of ["en", "zh"] as const) {
    const text = resources[lang].translation;
    it(`${lang}: every event kind`, () => {
      for (const kind of EVENT_KINDS) {
        const [group, name] = kind.split(".") as [keyof typeof text.eventKind, string];
        expect((text.eventKind[group] as Record<string, string> | undefined)?.[name], kind).toBeTruthy();
      }
    });
    it(`${lang}: every anomaly type, with the reducer's explanation in English`, () => {
      for (const [type, detail] of Object.entries(ANOMALY_TEXT)) {
        expect(text.anomalyType[type as keyof typeof text.anomalyType], type).toBeTruthy();
        const own = text.anomalyDetail[type as keyof typeof text.anomalyDetail];
        if (lang === "en") expect(own).toBe(detail);
        else expect(own).not.toBe(detail);
      }
    });
    it(`${lang}: every incident kind has a severity label and help (meaning in ZLM terms, what to do)`, () => {
      for (const [type, severity] of Object.entries(INCIDENT_SEVERITY)) {
        expect(text.severity[severity], severity).toBeTruthy();
        const help = text.incidentHelp[type as keyof typeof text.incidentHelp];
        expect(help?.meaning, type).toBeTruthy();
        expect(help?.action, type).toBeTruthy();
      }
    });
  }
});
