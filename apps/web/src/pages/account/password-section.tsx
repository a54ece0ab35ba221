import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { hasLength, isNotEmpty, matchesField, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconKey } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { RouterInputs } from '@tradepool/api';
import { NewPasswordInput } from '../../auth/new-password-input';
import { PASSWORD_MIN } from '../../auth/password';
import { sessionStore } from '../../auth/session-store';
import { SectionCard } from '../../components/section-card';
import { errorMessage } from '../../lib/errors';
import { applyFieldErrors } from '../../lib/form-errors';
import { trpc } from '../../lib/trpc';

export function PasswordSection({ email }: { email: string }) {
  const utils = trpc.useUtils();
  // Through the session store, not the tRPC hook: the answer is a new session for this device, and it must be in
  // place before anything (this tab's socket, other tabs) tries to renew the one the change just ended.
  const change = useMutation({
    mutationFn: (input: RouterInputs['account']['changePassword']) => sessionStore.changePassword(input),
  });
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: isNotEmpty('Enter your current password'),
      newPassword: (value, values) => {
        const length = hasLength({ min: PASSWORD_MIN }, `Use at least ${PASSWORD_MIN} characters`)(value);
        if (length) {
          return length;
        }
        return value === values.currentPassword ? 'Choose a password different from the current one' : null;
      },
      confirmPassword: matchesField('newPassword', 'The two new passwords do not match'),
    },
  });

  const submit = form.onSubmit(({ currentPassword, newPassword }) => {
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          form.reset();
          void utils.account.sessions.invalidate();
          notifications.show({
            color: 'teal',
            title: 'Password changed',
            message: 'You stay signed in here; every other session was signed out.',
          });
        },
        onError: (error) => {
          const handled = applyFieldErrors(form, error, {
            currentPassword: 'That is not your current password',
          });
          if (!handled) {
            notifications.show({ color: 'red', title: 'Password not changed', message: errorMessage(error) });
          }
        },
      },
    );
  });

  return (
    <SectionCard
      icon={IconKey}
      title="Password"
      description="Changing it signs you out everywhere else."
      data-testid="password-section"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {/* Lets password managers file the new password under the right account. */}
          <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            {...form.getInputProps('currentPassword')}
          />
          <NewPasswordInput label="New password" {...form.getInputProps('newPassword')} />
          <PasswordInput
            label="Confirm new password"
            autoComplete="new-password"
            required
            {...form.getInputProps('confirmPassword')}
          />
          <Group justify="flex-end" mt="xs">
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
