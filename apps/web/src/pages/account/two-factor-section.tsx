import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconRefresh, IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useAuth } from '../../auth/auth-provider';
import { ModalActions } from '../../components/modal-actions';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { RecoveryCodes } from '../../components/recovery-codes';
import { RevealOnceModal } from '../../components/reveal-once-modal';
import { SectionCard } from '../../components/section-card';
import { TotpEnrollment } from '../../components/totp-enrollment';
import { errorMessage, retryAfterSec } from '../../lib/errors';
import { applyFieldErrors } from '../../lib/form-errors';
import { formatWait } from '../../lib/format';
import { trpc } from '../../lib/trpc';

const CODE_DESCRIPTION = 'The 6-digit code from your app, or one of your unused recovery codes.';
const CODE_MESSAGE =
  'That code is not valid. Use the current code from your app, or an unused recovery code.';

/** Words for a refusal of a second-factor check: locked out for a while, or just wrong. */
function secondFactorError(error: unknown): string {
  const wait = retryAfterSec(error);
  return wait === null
    ? errorMessage(error)
    : `Too many invalid codes. Two-factor checks are paused for ${formatWait(wait)}.`;
}

function useRefreshTwoFactor() {
  const utils = trpc.useUtils();
  const auth = useAuth();
  return async () => {
    await utils.account.totp.status.invalidate();
    // The header and profile show `totpEnabled` from the session's user: bring it up to date too.
    const { user } = await utils.auth.me.fetch();
    auth.updateUser(user);
  };
}

function RegenerateCodesModal({
  opened,
  onClose,
  email,
}: {
  opened: boolean;
  onClose: () => void;
  email: string;
}) {
  const regenerate = trpc.account.totp.regenerateRecoveryCodes.useMutation();
  const refreshTwoFactor = useRefreshTwoFactor();
  const [codes, setCodes] = useState<string[] | null>(null);
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: isNotEmpty('Enter a code') },
  });

  const close = () => {
    form.reset();
    setCodes(null);
    regenerate.reset();
    onClose();
  };

  const submit = form.onSubmit(({ code }) => {
    regenerate.mutate(
      { code: code.trim() },
      {
        onSuccess: ({ recoveryCodes }) => {
          setCodes(recoveryCodes);
          void refreshTwoFactor();
        },
        onError: (error) => {
          if (!applyFieldErrors(form, error, { code: CODE_MESSAGE })) {
            form.setFieldError('code', secondFactorError(error));
          }
        },
      },
    );
  });

  return (
    <RevealOnceModal
      opened={opened}
      onClose={close}
      revealed={codes}
      titles={{ ask: 'Replace recovery codes', reveal: 'Your new recovery codes' }}
      reveal={(newCodes) => <RecoveryCodes codes={newCodes} email={email} onDone={close} />}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            You get 10 new codes and the old ones stop working at once. Confirm with a code to continue.
          </Text>
          <TextInput
            label="Authentication code"
            description={CODE_DESCRIPTION}
            autoComplete="one-time-code"
            ff="monospace"
            data-autofocus
            {...form.getInputProps('code')}
          />
          <ModalActions onCancel={close}>
            <Button type="submit" loading={regenerate.isPending}>
              Replace codes
            </Button>
          </ModalActions>
        </Stack>
      </form>
    </RevealOnceModal>
  );
}

function DisableModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const disable = trpc.account.totp.disable.useMutation();
  const refreshTwoFactor = useRefreshTwoFactor();
  const form = useForm({
    initialValues: { password: '', code: '' },
    validate: { password: isNotEmpty('Enter your password'), code: isNotEmpty('Enter a code') },
  });

  const close = () => {
    form.reset();
    onClose();
  };

  const submit = form.onSubmit(({ password, code }) => {
    disable.mutate(
      { password, code: code.trim() },
      {
        onSuccess: () => {
          close();
          void refreshTwoFactor();
          notifications.show({
            color: 'orange',
            title: 'Two-factor authentication is off',
            message: 'Signing in now asks only for your password.',
          });
        },
        onError: (error) => {
          const handled = applyFieldErrors(form, error, {
            password: 'That is not your password',
            code: CODE_MESSAGE,
          });
          if (!handled) {
            form.setFieldError('code', secondFactorError(error));
          }
        },
      },
    );
  });

  return (
    <Modal opened={opened} onClose={close} title="Turn off two-factor authentication?" size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Alert color="red" icon={<IconShieldOff size={18} />}>
            Without it, anyone who learns your password can sign in as you. Your recovery codes stop working.
          </Alert>
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            data-autofocus
            {...form.getInputProps('password')}
          />
          <TextInput
            label="Authentication code"
            description={CODE_DESCRIPTION}
            autoComplete="one-time-code"
            ff="monospace"
            {...form.getInputProps('code')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Keep it on
            </Button>
            <Button type="submit" color="red" loading={disable.isPending}>
              Turn off
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type Phase = { kind: 'idle' } | { kind: 'enrolling' } | { kind: 'codes'; codes: string[] };

export function TwoFactorSection({ email }: { email: string }) {
  const status = trpc.account.totp.status.useQuery();
  const refreshTwoFactor = useRefreshTwoFactor();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [modal, setModal] = useState<'regenerate' | 'disable' | null>(null);

  const enabled = status.data?.enabled ?? false;
  const aside = status.data ? (
    <Badge
      color={enabled ? 'teal' : 'gray'}
      variant="light"
      size="lg"
      leftSection={enabled ? <IconShieldCheck size={14} /> : null}
      data-testid="two-factor-status"
    >
      {enabled ? 'On' : 'Off'}
    </Badge>
  ) : null;

  let body: React.ReactNode;
  if (status.isPending) {
    body = (
      <Stack gap="sm" aria-busy="true" aria-label="Loading two-factor status">
        <Skeleton h={14} w="70%" />
        <Skeleton h={36} w={220} />
      </Stack>
    );
  } else if (status.isError) {
    body = (
      <QueryErrorAlert
        error={status.error}
        onRetry={() => status.refetch()}
        retrying={status.isFetching}
        title="Could not load two-factor status"
      />
    );
  } else if (phase.kind === 'enrolling') {
    body = (
      <TotpEnrollment
        onEnrolled={(codes) => {
          setPhase({ kind: 'codes', codes });
          void refreshTwoFactor();
        }}
        onCancel={() => setPhase({ kind: 'idle' })}
      />
    );
  } else if (phase.kind === 'codes') {
    body = (
      <RecoveryCodes
        codes={phase.codes}
        email={email}
        onDone={() => {
          setPhase({ kind: 'idle' });
          notifications.show({
            color: 'teal',
            title: 'Two-factor authentication is on',
            message: 'From now on, signing in asks for a code from your app.',
          });
        }}
      />
    );
  } else if (status.data.enabled) {
    const left = status.data.recoveryCodesLeft;
    body = (
      <Stack gap="md">
        <Text size="sm">
          Signing in asks for a code from your authenticator app.{' '}
          <Text
            span
            c={left <= 3 ? 'orange' : 'dimmed'}
            fw={left <= 3 ? 600 : 400}
            data-testid="recovery-left"
          >
            {left} of 10 recovery codes left.
          </Text>
        </Text>
        <Group gap="sm">
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            onClick={() => setModal('regenerate')}
          >
            New recovery codes
          </Button>
          {status.data.required ? (
            <Tooltip label="Required for your role: it cannot be turned off." multiline w={220}>
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconShieldOff size={16} />}
                data-disabled
                onClick={(event) => event.preventDefault()}
              >
                Turn off
              </Button>
            </Tooltip>
          ) : (
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconShieldOff size={16} />}
              onClick={() => setModal('disable')}
            >
              Turn off
            </Button>
          )}
        </Group>
        {status.data.required ? (
          <Text size="xs" c="dimmed">
            Your role requires two-factor authentication, so it cannot be turned off.
          </Text>
        ) : null}
      </Stack>
    );
  } else {
    body = (
      <Stack gap="md" align="flex-start">
        <Text size="sm" c="dimmed">
          Add a second step to signing in: a code from an app on your phone. Even someone who knows your
          password cannot get in without it.
        </Text>
        {status.data.required ? (
          <Alert color="orange" icon={<IconInfoCircle size={18} />}>
            Your role requires two-factor authentication.
          </Alert>
        ) : null}
        <Button leftSection={<IconShieldCheck size={16} />} onClick={() => setPhase({ kind: 'enrolling' })}>
          Turn on two-factor
        </Button>
      </Stack>
    );
  }

  return (
    <SectionCard
      icon={IconShieldCheck}
      title="Two-factor authentication"
      description="A code from your phone at every sign-in."
      aside={aside}
      data-testid="two-factor-section"
    >
      {body}
      <RegenerateCodesModal opened={modal === 'regenerate'} onClose={() => setModal(null)} email={email} />
      <DisableModal opened={modal === 'disable'} onClose={() => setModal(null)} />
    </SectionCard>
  );
}
