/** A grey placeholder block while data loads (pulses unless the viewer asked for reduced motion). */
export function Skeleton({ className = "", label }: { className?: string; label?: string }) {
  return <div className={`ps-skeleton ${className}`} role="status" aria-label={label ?? "Loading"} data-testid="skeleton" />;
}
