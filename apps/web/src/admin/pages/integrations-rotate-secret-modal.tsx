import { Alert, Button, Group, NumberInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconRotateClockwise } from '@tabler/icons-react';
import { useState } from 'react';
import { confirmAction, ModalActions } from '../../components/modal-actions';
import { RevealOnceModal } from '../../components/reveal-once-modal';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatWait } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { CopyField } from '../components/copy-field';

const DEFAULT_OVERLAP_MINUTES = 60;
const MAX_OVERLAP_MINUTES = 7 * 24 * 60;

const OVERLAP_ERROR = 'Between 0 and 10,080 minutes (a week)';

/** The whole number of overlap minutes typed, or null when the server would refuse it. */
function overlapMinutes(value: number | string): number | null {
  const minutes = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isInteger(minutes) && minutes >= 0 && minutes <= MAX_OVERLAP_MINUTES ? minutes : null;
}

type Rotated = { secret: string; hint: string; previousValidUntil: string | null };

/** Rotate the webhook secret: choose how long the current one keeps working, confirm, then see the new one once. */
export function RotateSecretModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const utils = trpc.useUtils();
  const [rotated, setRotated] = useState<Rotated | null>(null);
  const rotate = trpc.admin.integrations.rotateSecret.useMutation();
  const form = useForm<{ overlap: number | string }>({
    initialValues: { overlap: DEFAULT_OVERLAP_MINUTES },
    validate: { overlap: (value) => (overlapMinutes(value) === null ? OVERLAP_ERROR : null) },
  });
  const { overlap } = form.values;
  const minutes = overlapMinutes(overlap) ?? 0;
  const valid = overlapMinutes(overlap) !== null;

  const close = () => {
    // The secret leaves memory with the dialog: it is never shown again.
    setRotated(null);
    form.reset();
    rotate.reset();
    onClose();
  };

  const confirm = () => {
    confirmAction({
      title: 'Rotate the webhook secret?',
      body: (
        <>
          A new signing secret is created and shown once.{' '}
          {minutes === 0
            ? 'The current secret stops working at once: deliveries signed with it are refused from now on.'
            : `The current secret keeps working for ${formatWait(minutes * 60)}, time to give the new one to the trading model.`}
        </>
      ),
      confirmLabel: 'Rotate secret',
      cancelLabel: 'Back',
      danger: minutes === 0,
      onConfirm: () => {
        rotate.mutate(
          { overlapMinutes: minutes },
          {
            onSuccess: (result) => {
              setRotated(result);
              void utils.admin.integrations.webhook.invalidate();
              notifications.show({
                color: 'teal',
                title: 'Secret rotated',
                message: `New secret ${result.hint}`,
              });
            },
          },
        );
      },
    });
  };

  return (
    <RevealOnceModal
      opened={opened}
      onClose={close}
      revealed={rotated}
      titles={{ ask: 'Rotate the webhook secret', reveal: 'Your new webhook secret' }}
      size="lg"
      reveal={(fresh) => (
        <Stack gap="md" data-testid="new-secret">
          <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Copy it now">
            This is the only time the secret is shown. Give it to the trading model team over a secure
            channel; Tradepool keeps it encrypted and never displays it again.
          </Alert>
          <CopyField label="Signing secret" value={fresh.secret} testId="new-secret-value" />
          <Text size="sm" c="dimmed">
            {fresh.previousValidUntil
              ? `The previous secret stays valid until ${formatDateTime(fresh.previousValidUntil)}.`
              : 'The previous secret no longer works.'}
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      )}
    >
      <form onSubmit={form.onSubmit(confirm)} noValidate>
        <Stack gap="md">
          <Text size="sm">
            The trading model signs every delivery with the secret. Rotate it when it may have leaked or on a
            schedule; both secrets are accepted during the overlap, so no delivery is refused while the model
            switches.
          </Text>
          <NumberInput
            label="Overlap"
            description="Minutes the current secret keeps working (0 to 10,080)"
            suffix=" min"
            min={0}
            max={MAX_OVERLAP_MINUTES}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('overlap')}
            error={valid || overlap === '' ? null : OVERLAP_ERROR}
            maw={280}
            data-autofocus
          />
          {rotate.isError ? (
            <Alert color="red" role="alert">
              {errorMessage(rotate.error)}
            </Alert>
          ) : null}
          <ModalActions onCancel={close}>
            <Button
              type="submit"
              leftSection={<IconRotateClockwise size={16} />}
              disabled={!valid}
              loading={rotate.isPending}
            >
              Rotate…
            </Button>
          </ModalActions>
        </Stack>
      </form>
    </RevealOnceModal>
  );
}
