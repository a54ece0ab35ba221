import { createTheme, type MantineColorsTuple } from '@mantine/core';

/** Brand blue, built around #1a63db (shade 6): calm and trustworthy, and clear of the green/red used for profit and loss. */
const ocean: MantineColorsTuple = [
  '#e8f1ff',
  '#d2e0fc',
  '#a3bff3',
  '#719ceb',
  '#477ee4',
  '#2d6be0',
  '#1a63db',
  '#0b52c3',
  '#0049b0',
  '#003e9c',
];

const SYSTEM_SANS =
  'system-ui, -apple-system, "Segoe UI Variable Text", "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji"';
const SYSTEM_MONO =
  'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace';

export const theme = createTheme({
  primaryColor: 'ocean',
  primaryShade: { light: 6, dark: 5 },
  colors: { ocean },
  fontFamily: SYSTEM_SANS,
  fontFamilyMonospace: SYSTEM_MONO,
  headings: { fontFamily: SYSTEM_SANS, fontWeight: '650', textWrap: 'balance' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  focusRing: 'auto',
  components: {
    Alert: { defaultProps: { variant: 'light' } },
    Card: { defaultProps: { withBorder: true, radius: 'lg', padding: 'lg' } },
    EmptyState: { defaultProps: { variant: 'light' } },
    Paper: { defaultProps: { radius: 'lg' } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 150 } },
  },
});
