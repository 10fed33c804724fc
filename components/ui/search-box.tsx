"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/** Finds a stream id, SSRC (decimal or 0x hex) or port across nodes. "/" focuses it. */
export function SearchBox() {
  const router = useRouter();
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "/" && document.activeElement?.tagName !== "INPUT") {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <form
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (q.trim()) router.push(`/search?q=${encodeURIComponent(q.trim())}`);
      }}
    >
      <input
        ref={input}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder={t("nav.search")}
        aria-label={t("search.inputLabel")}
        data-testid="search-input"
        className="w-72 rounded border border-slate-700 bg-slate-900 px-2 py-1 text-sm placeholder:text-slate-400"
      />
    </form>
  );
}
