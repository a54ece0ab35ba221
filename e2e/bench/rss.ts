/** Samples this process's resident set every 100 ms, so a report can give the peak as well as the current size. */
export function trackRss() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  timer.unref();
  return {
    read: () => {
      const now = process.memoryUsage.rss();
      peak = Math.max(peak, now);
      return { rssMb: Math.round(now / 1048576), peakRssMb: Math.round(peak / 1048576) };
    },
    reset: () => {
      peak = process.memoryUsage.rss();
    },
  };
}
