import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

const SCREENSHOT_DIR = fileURLToPath(new URL('../screenshots/', import.meta.url));

/**
 * A full-page screenshot in e2e/screenshots/ (gitignored), for people to look at. The viewport is stretched to the
 * page height first: the shell's header and navbar are `position: fixed`, and a plain full-page capture would cut the
 * navbar off at the first screen.
 */
export async function saveFullPageScreenshot(page: Page, name: string): Promise<void> {
  const original = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (original && height > original.height) {
    await page.setViewportSize({ width: original.width, height });
  }
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true, animations: 'disabled' });
  if (original) {
    await page.setViewportSize(original);
  }
}

/** What the person sees without scrolling, for mobile layouts. */
export async function saveViewportScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, animations: 'disabled' });
}
