import { Anchor, Button, Group, List, Stack, Stepper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceMobile, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../auth/auth-provider';
import { homePathFor, safeNextPath, withNext } from '../../auth/next-path';
import { ROLE_META } from '../../auth/roles';
import { AuthCard } from '../../components/auth-card';
import { RecoveryCodes } from '../../components/recovery-codes';
import { HeadingIcon } from '../../components/section-card';
import { TotpEnrollment } from '../../components/totp-enrollment';
import { FormAlert } from './form-alerts';

type Phase = 'intro' | 'link' | 'codes';

const STEP_OF: Record<Phase, number> = { intro: 0, link: 1, codes: 2 };

/**
 * The enrolment an ADMIN or MANAGER must finish before anything else (REQUIRE_ADMIN_2FA): every other page sends them
 * here. Once the codes are saved, the session is renewed into a complete one and they go where they were headed.
 */
export function SetupTwoFactorPage() {
  const auth = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [phase, setPhase] = useState<Phase>('intro');
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>([]);
  const [finishing, setFinishing] = useState(false);
  const [finishError, setFinishError] = useState<string | null>(null);
  const { state } = auth;

  if (state.status === 'signed-out') {
    return <Navigate to={withNext('/sign-in', next)} replace />;
  }
  if (state.status !== 'signed-in') {
    return null;
  }
  // Nothing to do here (enrolled already, or not required): on to the destination. Not while the codes are shown:
  // finishing renews the session, which would otherwise whisk them away before they are saved.
  if (!state.totpEnrollmentRequired && phase !== 'codes') {
    return <Navigate to={next ?? homePathFor(state.user.role)} replace />;
  }

  const finish = async () => {
    setFinishing(true);
    setFinishError(null);
    const renewed = await auth.refresh();
    setFinishing(false);
    if (!renewed) {
      setFinishError('Your session could not be renewed. Check your connection and try again.');
      return;
    }
    notifications.show({
      color: 'teal',
      title: 'Two-factor authentication is on',
      message: 'From now on, signing in asks for a code from your app.',
    });
    await navigate(next ?? homePathFor(state.user.role), { replace: true });
  };

  const role = ROLE_META[state.user.role].label.toLowerCase();
  return (
    <AuthCard
      width={600}
      icon={<IconShieldLock size={24} stroke={1.6} />}
      title="Set up two-factor authentication"
      description={
        <>
          Your account has the <b>{role}</b> role, which acts on other people's money and accounts. It must be
          protected by a second step at sign-in: a code from an app on your phone.
        </>
      }
      after={
        <Text size="sm" ta="center" c="dimmed">
          Signed in as {state.user.email}.{' '}
          <Anchor component="button" type="button" size="sm" onClick={() => void auth.signOut()}>
            Sign out
          </Anchor>
        </Text>
      }
    >
      <Stepper
        active={STEP_OF[phase]}
        size="xs"
        mb="xl"
        allowNextStepsSelect={false}
        aria-label="Setup steps"
      >
        <Stepper.Step label="Get an app" />
        <Stepper.Step label="Link it" />
        <Stepper.Step label="Save codes" />
      </Stepper>

      {phase === 'intro' ? (
        <Stack gap="md">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <HeadingIcon icon={IconDeviceMobile} color="gray" />
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                You need an authenticator app on your phone
              </Text>
              <Text size="sm" c="dimmed">
                Any app that supports time-based codes (TOTP) works, for example:
              </Text>
              <List size="sm" c="dimmed" spacing={2}>
                <List.Item>Google Authenticator or Microsoft Authenticator</List.Item>
                <List.Item>1Password, Bitwarden or another password manager</List.Item>
                <List.Item>Authy, FreeOTP, or your phone's built-in passwords app</List.Item>
              </List>
            </Stack>
          </Group>
          <Group justify="flex-end">
            <Button onClick={() => setPhase('link')} autoFocus>
              I have an app, continue
            </Button>
          </Group>
        </Stack>
      ) : null}

      {phase === 'link' ? (
        <TotpEnrollment
          onEnrolled={(codes) => {
            setRecoveryCodes(codes);
            setPhase('codes');
          }}
        />
      ) : null}

      {phase === 'codes' ? (
        <Stack gap="md">
          {finishError ? <FormAlert message={finishError} /> : null}
          <RecoveryCodes
            codes={recoveryCodes}
            email={state.user.email}
            onDone={() => void finish()}
            doneLabel="Continue to Tradepool"
            doneLoading={finishing}
          />
        </Stack>
      ) : null}
    </AuthCard>
  );
}
