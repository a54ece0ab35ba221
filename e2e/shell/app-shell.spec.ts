import { expect, type Page, test } from '@playwright/test';
import { seedStaff } from '../support/accounts';
import { saveFullPageScreenshot, saveViewportScreenshot } from '../support/screenshots';

/** The header badge is the app's own proof that the SPA reached the API through `system.info`. */
async function expectApiConnected(page: Page): Promise<void> {
  const status = page.getByTestId('api-status');
  await expect(status).toHaveAttribute('data-state', 'connected');
  await expect(status).toHaveText('API connected');
}

/** Script files the page fetched, by path, so a test can tell which chunks an investor downloads. */
function recordScripts(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') {
      paths.push(new URL(request.url()).pathname);
    }
  });
  return paths;
}

const isAdminChunk = (path: string) => /^\/assets\/admin-[^/]+\.js$/.test(path);

test.describe('app shell', () => {
  test('loads the overview and reaches the API', async ({ page }) => {
    // Console errors catch what assertions on the page cannot: CSP refusals, failed chunks, React warnings.
    const problems: string[] = [];
    page.on('console', (message) => {
      // A visitor has no session to restore: session.refresh answering 401 is the expected way of saying so.
      if (message.type() === 'error' && !message.location().url.includes('/trpc/session.refresh')) {
        problems.push(message.text());
      }
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto('/');

    await expect(page).toHaveTitle('Overview · Tradepool');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('trading pools');
    await expectApiConnected(page);

    const card = page.getByTestId('server-status-card');
    await expect(card).toContainText(/v\d+\.\d+\.\d+/);
    await expect(card).toContainText(/development/i);
    // e2e runs with the default payment provider, demo, which the contract wants clearly labelled.
    await expect(page.getByTestId('demo-payments-badge').getByText('Demo payments')).toBeVisible();
    // The overview is public: a visitor is offered the way in, and sees no administration.
    await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Administration' })).toHaveCount(0);
    expect(problems).toEqual([]);
  });

  test('loads the admin area only when it is opened', async ({ page }) => {
    await seedStaff(page.request, 'MANAGER');
    const scripts = recordScripts(page);
    await page.goto('/');
    await expectApiConnected(page);
    expect(scripts.filter(isAdminChunk), 'admin code must not load for the overview').toEqual([]);

    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'Admin overview' })
      .click();

    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Admin overview' })).toBeVisible();
    expect(scripts.filter(isAdminChunk).length).toBeGreaterThan(0);
    await expect(page.getByRole('link', { name: 'Admin overview' })).toHaveAttribute('aria-current', 'page');

    const system = page.getByTestId('system-panel');
    await expect(system).toContainText('Server version');
    await expect(system).toContainText('Demo (simulated)');
    await expect(page.getByRole('link', { name: /REST API docs/ })).toHaveAttribute('href', '/api/v1/docs');
    await expect(page.getByRole('link', { name: /OpenAPI document/ })).toHaveAttribute(
      'href',
      '/api/v1/openapi.json',
    );
    await expect(page.getByText('OK (200)').first()).toBeVisible();
  });

  test('opens an admin URL directly', async ({ page }) => {
    await seedStaff(page.request, 'MANAGER');
    await page.goto('/admin');
    await expect(page.getByRole('heading', { level: 1, name: 'Admin overview' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('Administration');
  });

  test('shows a not-found page for unknown URLs', async ({ page }) => {
    await page.goto('/no/such/page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expect(page.getByTestId('not-found')).toContainText('/no/such/page');
    await expect(page).toHaveTitle('Page not found · Tradepool');

    await page.getByRole('link', { name: 'Back to overview' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('trading pools');
  });

  test('sends a visitor who opens an admin URL to sign in first', async ({ page }) => {
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  });

  test('shows not-found inside the admin area too', async ({ page }) => {
    await seedStaff(page.request, 'MANAGER');
    await page.goto('/admin/no-such-tool');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  });

  test('switches the color scheme and remembers it', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/');
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'light');

    await page.getByRole('button', { name: /^Color scheme/ }).click();
    await page.getByRole('menuitem', { name: /Dark/ }).click();
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await expect(page.getByRole('button', { name: 'Color scheme: Dark' })).toBeVisible();

    await page.reload();
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');

    // "System" follows the operating system again, whichever way it is set.
    await page.getByRole('button', { name: /^Color scheme/ }).click();
    await page.getByRole('menuitem', { name: /System/ }).click();
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
  });

  test('offers a skip link to the main content', async ({ page }) => {
    await page.goto('/');
    await expectApiConnected(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('#main-content')).toBeFocused();
  });
});

test.describe('screenshots', () => {
  test('overview, light and dark', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/');
    await expectApiConnected(page);
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
    await saveFullPageScreenshot(page, 'overview-light');

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await saveFullPageScreenshot(page, 'overview-dark');
  });

  test('admin overview, light and dark', async ({ page }) => {
    await seedStaff(page.request, 'MANAGER');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/admin');
    await expect(page.getByTestId('system-panel')).toBeVisible();
    await expect(page.getByText('OK (200)').first()).toBeVisible();
    await saveFullPageScreenshot(page, 'admin-light');

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await saveFullPageScreenshot(page, 'admin-dark');
  });
});

test.describe('mobile', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('collapses the navigation behind a burger', async ({ page }) => {
    await seedStaff(page.request, 'MANAGER');
    await page.goto('/');
    // Too narrow for the full label: the badge shortens, it does not disappear.
    const demo = page.getByTestId('demo-payments-badge');
    await expect(demo.getByText('Demo', { exact: true })).toBeVisible();
    await expect(demo.getByText('Demo payments')).toBeHidden();
    const navbar = page.locator('#app-navbar');
    await expect(navbar).not.toBeInViewport();
    await saveViewportScreenshot(page, 'mobile-overview');
    await saveFullPageScreenshot(page, 'mobile-overview-full');

    await page.getByRole('button', { name: 'Open navigation' }).click();
    await expect(navbar).toBeInViewport();
    await expect(page.getByTestId('api-status-nav')).toHaveAttribute('data-state', 'connected');
    await saveViewportScreenshot(page, 'mobile-navigation');

    await page.getByRole('link', { name: 'Admin overview' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Admin overview' })).toBeVisible();
    await expect(navbar).not.toBeInViewport();
  });
});
