import {
  ActionIcon,
  Box,
  Button,
  Code,
  CopyButton,
  Group,
  Image,
  Paper,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconCopy, IconDialpad, IconQrcode } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { errorMessage, fieldErrors } from '../lib/errors';
import { trpc } from '../lib/trpc';
import { QueryErrorAlert } from './query-error-alert';
import { TotpCodeInput } from './totp-code-input';

/** The base32 secret in groups of four, the way authenticator apps ask for it. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Marks the two things to do; icons rather than numbers, which the surrounding steppers already use. */
function StepMarker({ icon: MarkerIcon }: { icon: typeof IconQrcode }) {
  return (
    <ThemeIcon size={26} radius="xl" variant="light" style={{ flexShrink: 0 }} aria-hidden>
      <MarkerIcon size={15} stroke={1.8} />
    </ThemeIcon>
  );
}

interface TotpEnrollmentProps {
  /** Enrolment is confirmed; these are the recovery codes, to be shown once. */
  onEnrolled: (recoveryCodes: string[]) => void;
  onCancel?: () => void;
}

/**
 * Links an authenticator app: a new secret as a QR code and as text, then a code from the app to prove it has it.
 * Mounting it starts (or restarts) enrolment on the server; nothing changes for sign-in until the code is confirmed.
 */
export function TotpEnrollment({ onEnrolled, onCancel }: TotpEnrollmentProps) {
  const begin = trpc.account.totp.begin.useMutation();
  const confirm = trpc.account.totp.confirm.useMutation();
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (value) => (/^\d{6}$/.test(value) ? null : 'Enter the 6 digits your app shows') },
  });

  // Once per mount, StrictMode included: a second `begin` would replace the secret the QR code shows.
  const started = useRef(false);
  const { mutate: startEnrollment } = begin;
  useEffect(() => {
    if (!started.current) {
      started.current = true;
      startEnrollment();
    }
  }, [startEnrollment]);

  const submit = form.onSubmit(({ code }) => {
    confirm.mutate(
      { code },
      {
        onSuccess: ({ recoveryCodes }) => onEnrolled(recoveryCodes),
        onError: (error) => {
          form.setFieldValue('code', '');
          form.setFieldError(
            'code',
            fieldErrors(error).code
              ? 'That code does not match. Check that the time on your phone is set automatically, and use the current code.'
              : errorMessage(error),
          );
        },
      },
    );
  });

  if (begin.isError) {
    return (
      <QueryErrorAlert
        title="Could not start two-factor setup"
        error={begin.error}
        onRetry={() => begin.mutate()}
        retrying={begin.isPending}
      />
    );
  }

  const enrollment = begin.data;
  return (
    <Stack gap="lg">
      <Group align="flex-start" gap="lg" wrap="wrap">
        <Paper
          withBorder
          p={8}
          radius="md"
          bg="white"
          w={192}
          h={192}
          style={{ flexShrink: 0 }}
          mx={{ base: 'auto', xs: 0 }}
        >
          {enrollment ? (
            <Image
              src={enrollment.qrCodeDataUrl}
              alt="QR code to scan with your authenticator app"
              w={174}
              h={174}
              data-testid="totp-qr"
            />
          ) : (
            <Skeleton w={174} h={174} aria-label="Preparing the QR code" />
          )}
        </Paper>
        <Stack gap="sm" style={{ flex: '1 1 240px', minWidth: 0 }}>
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <StepMarker icon={IconQrcode} />
            <Text size="sm">
              Open your authenticator app, add an account and <b>scan the QR code</b>.
            </Text>
          </Group>
          <Text size="sm" c="dimmed" pl={38}>
            Cannot scan it? Enter this setup key instead (time-based):
          </Text>
          <Group gap={6} pl={38} wrap="nowrap">
            {enrollment ? (
              <>
                <Code fz="sm" py={6} px={10} lh={1.6} data-testid="totp-secret">
                  {groupSecret(enrollment.secret)}
                </Code>
                <CopyButton value={enrollment.secret}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? 'Copied' : 'Copy setup key'}>
                      <ActionIcon
                        variant="subtle"
                        color={copied ? 'teal' : 'gray'}
                        onClick={copy}
                        aria-label="Copy setup key"
                      >
                        {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </>
            ) : (
              <Skeleton h={30} w="100%" />
            )}
          </Group>
        </Stack>
      </Group>

      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <StepMarker icon={IconDialpad} />
            <Text size="sm">
              Enter the <b>6-digit code</b> the app now shows for Tradepool.
            </Text>
          </Group>
          <Box pl={{ base: 0, xs: 38 }}>
            <TotpCodeInput
              value={form.values.code}
              onChange={(value) => form.setFieldValue('code', value)}
              onComplete={() => {
                if (!confirm.isPending) {
                  submit();
                }
              }}
              error={form.errors.code}
              disabled={!enrollment || confirm.isPending}
            />
          </Box>
          <Group justify="flex-end" gap="sm" mt="xs">
            {onCancel ? (
              <Button variant="default" onClick={onCancel} disabled={confirm.isPending}>
                Cancel
              </Button>
            ) : null}
            <Button type="submit" loading={confirm.isPending} disabled={!enrollment}>
              Verify code
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
