import { expect, test } from '@playwright/test';
import { seedStaff } from '../support/accounts';

test.describe('model API keys', () => {
  test('an admin creates a key that is shown once, the model uses it, and the admin revokes it', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await seedStaff(page.request, 'ADMIN', 'E2E Keys Admin');
    await page.goto('/admin/integrations');
    const section = page.getByTestId('model-keys-section');
    await section.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New model API key' });
    const name = `Quant desk ${Date.now().toString(36)}`;
    await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'Copy the key now' });
    await expect(shown.getByTestId('model-key-once')).toContainText('only time the key is shown');
    const key = await shown.getByTestId('model-key-value').inputValue();
    expect(key).toMatch(/^tpk_/);
    await expect(shown.getByRole('button', { name: 'Copy model API key' })).toBeVisible();
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await expect(shown).toBeHidden();

    const row = section.getByTestId('model-key-row').filter({ hasText: name });
    await expect(row).toContainText(key.slice(0, 10));
    await expect(row).not.toContainText(key.slice(10));
    await expect(row.getByTestId('model-key-last-used')).toHaveText('Never');

    // The trading model reads its pools with it; the list then says when it was last used.
    const pools = await page.request.get('/api/v1/model/pools', {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(pools.status()).toBe(200);
    await page.reload();
    await section.scrollIntoViewIfNeeded();
    await expect(row.getByTestId('model-key-last-used')).not.toHaveText('Never');

    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    await page
      .getByRole('dialog', { name: `Revoke “${name}”?` })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await expect(row).toContainText('Revoked');
    const refused = await page.request.get('/api/v1/model/pools', {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(refused.status()).toBe(401);
  });
});
