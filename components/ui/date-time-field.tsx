"use client";

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { fromLocalInput, toLocalInput } from "@/lib/ui/local-datetime";

/**
 * A date and time typed as operators write it, ISO-style in the viewer's zone
 * ("2026-12-03 10:07:05", seconds optional). Not `<input type="datetime-local">`:
 * Chromium shows that in the browser's locale (12/03/2026, 10:07:05 PM).
 * What is typed stays as typed until it parses; a parsed value goes up at once.
 */
export function DateTimeField({ value, onChange, onFocus, onBlur, ...rest }: { value: number | null; onChange: (at: number | null) => void; onFocus?: () => void; onBlur?: () => void; "aria-label"?: string; className?: string; "data-testid"?: string }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === null ? "" : toLocalInput(value).replace("T", " "));
  return (
    <input
      type="text"
      inputMode="numeric"
      placeholder={t("page.dateFormat")}
      spellCheck={false}
      size={19}
      value={shown}
      onFocus={onFocus}
      onBlur={() => {
        setDraft(null);
        onBlur?.();
      }}
      onChange={(e) => {
        setDraft(e.target.value);
        const at = fromLocalInput(e.target.value.trim());
        if (at !== null) onChange(at);
        else if (e.target.value.trim() === "") onChange(null);
      }}
      {...rest}
    />
  );
}
