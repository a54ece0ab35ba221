export interface DeviceDescription {
  /** "Chrome on macOS", "Safari on iPhone", or "Unknown device". */
  label: string;
  kind: 'desktop' | 'mobile' | 'tablet' | 'unknown';
}

/** Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari". */
const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl\//, 'curl'],
  [/node|undici/i, 'Node.js'],
];

const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/**
 * A readable name for a session's device from its User-Agent string. Deliberately simple (browser and system by
 * their well-known tokens): it helps someone recognise their own devices, nothing depends on it being exact.
 */
export function describeUserAgent(userAgent: string | null | undefined): DeviceDescription {
  if (!userAgent) {
    return { label: 'Unknown device', kind: 'unknown' };
  }
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  let kind: DeviceDescription['kind'] = 'desktop';
  if (/iPad|Tablet/.test(userAgent)) {
    kind = 'tablet';
  } else if (/Mobi|iPhone|Android/.test(userAgent)) {
    kind = 'mobile';
  } else if (!system) {
    kind = 'unknown';
  }
  if (browser && system) {
    return { label: `${browser} on ${system}`, kind };
  }
  return { label: browser ?? system ?? 'Unknown device', kind };
}
