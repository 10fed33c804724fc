"use client";

import { useTranslation } from "react-i18next";

/** A page's skeleton while its client part loads: a translated line and grey bars where the tables go. */
export function PageLoading({ textKey }: { textKey: string }) {
  const { t } = useTranslation();
  return (
    <div className="space-y-3" role="status" data-testid="page-loading">
      <p className="text-slate-400">{t(textKey)}</p>
      {[0, 1, 2, 3].map((i) => (
        <div key={i} aria-hidden className="h-6 animate-pulse rounded bg-slate-800/70" />
      ))}
    </div>
  );
}

/** A line of text by key, for server pages that must say something before or instead of their client part. */
export function TranslatedText({ textKey, values, className }: { textKey: string; values?: Record<string, string>; className?: string }) {
  const { t } = useTranslation();
  return <p className={className}>{t(textKey, values)}</p>;
}
