import { Group, Text } from '@mantine/core';

interface BrandMarkProps {
  size?: number;
}

/** The logo: the same drawing as public/favicon.svg, inline so it needs no extra request. */
export function BrandLogo({ size = 28 }: BrandMarkProps) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="tradepool-logo-gradient" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#2f7cf6" />
          <stop offset="1" stopColor="#0b4bb3" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill="url(#tradepool-logo-gradient)" />
      <path
        d="M7 21.5 12.5 16l4 3.5L25 11"
        fill="none"
        stroke="#fff"
        strokeWidth="2.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <path
        d="M20.5 11H25v4.5"
        fill="none"
        stroke="#fff"
        strokeWidth="2.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <path d="M7 25.5h18" stroke="#fff" strokeOpacity=".55" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/** Logo and wordmark, as shown in the header. */
export function BrandMark({ size = 28 }: BrandMarkProps) {
  return (
    <Group gap={10} wrap="nowrap">
      <BrandLogo size={size} />
      <Text component="span" fw={700} fz={20} lts={-0.3} lh={1}>
        Tradepool
      </Text>
    </Group>
  );
}
