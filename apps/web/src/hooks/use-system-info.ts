import { trpc } from '../lib/trpc';

/** How often the shell re-asks, so the status badge notices the server going away (and coming back). */
const POLL_MS = 30_000;

/**
 * Server name, version and mode. One shared query: the header badge, the navbar footer and the overview pages all
 * read the same cache entry, so the server sees one request per poll whatever is on screen.
 */
export function useSystemInfo() {
  return trpc.system.info.useQuery(undefined, {
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
    staleTime: POLL_MS,
  });
}
