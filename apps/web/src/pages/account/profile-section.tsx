import { Badge, Button, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconId } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useAuth } from '../../auth/auth-provider';
import type { SessionUser } from '../../auth/session-store';
import { Caption } from '../../components/labeled-value';
import { RoleBadge } from '../../components/role-badge';
import { SectionCard } from '../../components/section-card';
import { errorMessage } from '../../lib/errors';
import { applyFieldErrors } from '../../lib/form-errors';
import { formatDate } from '../../lib/format';
import { trpc } from '../../lib/trpc';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Caption>{label}</Caption>
      <Text component="div" size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Stack>
  );
}

function SubscriptionFact({ user }: { user: SessionUser }) {
  if (user.isSubscriptionActive && user.subscriptionExpiresAt) {
    return (
      <Group gap={6}>
        <Badge color="teal" variant="light" size="sm">
          Active
        </Badge>
        <Text span size="sm">
          until {formatDate(user.subscriptionExpiresAt)}
        </Text>
      </Group>
    );
  }
  return (
    <Badge color="gray" variant="light" size="sm">
      {user.subscriptionExpiresAt ? `Ended ${formatDate(user.subscriptionExpiresAt)}` : 'None'}
    </Badge>
  );
}

export function ProfileSection({ user }: { user: SessionUser }) {
  const auth = useAuth();
  const update = trpc.account.updateProfile.useMutation();
  const form = useForm({
    initialValues: { displayName: user.displayName },
    validate: {
      displayName: (value) => {
        const name = value.trim();
        if (!name) {
          return 'Enter the name Tradepool should use';
        }
        return name.length > 80 ? 'At most 80 characters' : null;
      },
    },
  });

  const submit = form.onSubmit(({ displayName }) => {
    update.mutate(
      { displayName: displayName.trim() },
      {
        onSuccess: (saved) => {
          auth.updateUser(saved);
          form.setInitialValues({ displayName: saved.displayName });
          form.setValues({ displayName: saved.displayName });
          form.resetDirty({ displayName: saved.displayName });
          notifications.show({ color: 'teal', title: 'Profile saved', message: 'Your name is updated.' });
        },
        onError: (error) => {
          if (!applyFieldErrors(form, error)) {
            form.setFieldError('displayName', errorMessage(error));
          }
        },
      },
    );
  });

  const unchanged = form.values.displayName.trim() === user.displayName;
  return (
    <SectionCard
      icon={IconId}
      title="Profile"
      description="How Tradepool knows you."
      data-testid="profile-section"
    >
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <Fact label="Email">{user.email}</Fact>
          <Fact label="Role">
            <RoleBadge role={user.role} size="sm" />
          </Fact>
          <Fact label="Subscription">
            <SubscriptionFact user={user} />
          </Fact>
          <Fact label="Two-factor">
            <Badge color={user.totpEnabled ? 'teal' : 'gray'} variant="light" size="sm">
              {user.totpEnabled ? 'On' : 'Off'}
            </Badge>
          </Fact>
        </SimpleGrid>
        <form onSubmit={submit} noValidate>
          <Group align="flex-start" gap="sm" wrap="nowrap">
            <TextInput
              label="Display name"
              autoComplete="name"
              style={{ flex: 1 }}
              {...form.getInputProps('displayName')}
            />
            <Button type="submit" mt={25} loading={update.isPending} disabled={unchanged}>
              Save
            </Button>
          </Group>
        </form>
      </Stack>
    </SectionCard>
  );
}
