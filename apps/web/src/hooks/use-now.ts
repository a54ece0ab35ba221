import { useEffect, useState } from 'react';

/** The current time, refreshed every `ms`: relative times ("12 seconds ago") and staleness stay true on a still page. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
