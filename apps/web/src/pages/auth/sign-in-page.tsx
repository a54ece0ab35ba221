import { Alert, Anchor, Button, Center, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { isEmail, isNotEmpty, useForm } from '@mantine/form';
import { IconArrowLeft, IconLock, IconShieldLock } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../auth/auth-provider';
import { safeNextPath } from '../../auth/next-path';
import { AuthCard } from '../../components/auth-card';
import { TotpCodeInput } from '../../components/totp-code-input';
import { errorDetail, errorMessage } from '../../lib/errors';
import { applyFieldErrors } from '../../lib/form-errors';
import { trpc } from '../../lib/trpc';
import { DemoAccounts } from './demo-accounts';
import { useFormRefusals } from './form-alerts';
import { OtherFormLink } from './other-form-link';

type Credentials = {
  email: string;
  password: string;
};

interface SecondFactorStepProps {
  credentials: Credentials;
  onBack: () => void;
}

/** Step two, when the account has 2FA: the authenticator's code, or one of the recovery codes. */
function SecondFactorStep({ credentials, onBack }: SecondFactorStepProps) {
  const auth = useAuth();
  const [method, setMethod] = useState<'totp' | 'recovery'>('totp');
  const form = useForm({
    initialValues: { code: '', recoveryCode: '' },
    validate: {
      code: (value) => (method === 'totp' && !/^\d{6}$/.test(value.trim()) ? 'Enter all 6 digits' : null),
      recoveryCode: (value) =>
        method === 'recovery' && value.trim().length < 6 ? 'Enter a recovery code' : null,
    },
  });
  const field = method === 'totp' ? 'code' : 'recoveryCode';
  const { blocked, throttled, setFormError, alerts } = useFormRefusals('signing in');
  const signIn = trpc.session.signIn.useMutation();

  const submit = form.onSubmit((values) => {
    setFormError(null);
    signIn.mutate(
      { ...credentials, totp: values[field].trim() },
      {
        onSuccess: (session) => auth.signedIn(session),
        onError: (error) => {
          // Cleared first: a new value clears the field's error, and the error below is about this attempt.
          form.setFieldValue('code', '');
          if (throttled(error)) {
            return;
          }
          if (errorDetail(error, 'totpRequired')) {
            form.setFieldError(
              field,
              method === 'totp'
                ? 'That code is not valid. Codes change every 30 seconds: use the current one.'
                : 'That recovery code is not valid, or was already used.',
            );
          } else {
            setFormError(errorMessage(error));
          }
        },
      },
    );
  });

  return (
    <AuthCard
      title="Two-factor authentication"
      icon={<IconShieldLock size={24} stroke={1.6} />}
      description={
        method === 'totp' ? (
          <>
            Enter the 6-digit code from your authenticator app for <b>{credentials.email}</b>.
          </>
        ) : (
          <>
            Enter one of the recovery codes you saved when you set up two-factor authentication. Each code
            works once.
          </>
        )
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {alerts}
          {method === 'totp' ? (
            <Center>
              <TotpCodeInput
                value={form.values.code}
                onChange={(value) => form.setFieldValue('code', value)}
                onComplete={() => {
                  if (!blocked && !signIn.isPending) {
                    submit();
                  }
                }}
                error={form.errors.code}
                disabled={signIn.isPending || blocked}
                autoFocus
              />
            </Center>
          ) : (
            <TextInput
              label="Recovery code"
              placeholder="xxxxx-xxxxx"
              autoComplete="one-time-code"
              autoCapitalize="none"
              spellCheck={false}
              ff="monospace"
              {...form.getInputProps('recoveryCode')}
              disabled={signIn.isPending || blocked}
              data-autofocus
              autoFocus
            />
          )}
          <Button type="submit" fullWidth loading={signIn.isPending} disabled={blocked}>
            Verify and sign in
          </Button>
          <Group justify="space-between" gap="xs">
            <Anchor component="button" type="button" size="sm" onClick={onBack}>
              <Group gap={4} wrap="nowrap">
                <IconArrowLeft size={14} />
                Back
              </Group>
            </Anchor>
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setMethod(method === 'totp' ? 'recovery' : 'totp');
                form.clearErrors();
              }}
            >
              {method === 'totp' ? 'Use a recovery code instead' : 'Use the authenticator app'}
            </Anchor>
          </Group>
        </Stack>
      </form>
    </AuthCard>
  );
}

export function SignInPage() {
  const auth = useAuth();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [secondStep, setSecondStep] = useState<Credentials | null>(null);
  const { blocked, throttled, setFormError, alerts } = useFormRefusals('signing in');
  const submitRef = useRef<HTMLButtonElement>(null);
  const signIn = trpc.session.signIn.useMutation();

  const form = useForm<Credentials>({
    initialValues: { email: '', password: '' },
    validate: {
      email: isEmail('Enter the email address of your account'),
      password: isNotEmpty('Enter your password'),
    },
  });

  const signInWith = (values: Credentials) => {
    setFormError(null);
    // Exactly the two fields the procedure takes: its input is strict, and anything extra would be refused.
    signIn.mutate(
      { email: values.email, password: values.password },
      {
        onSuccess: (session) => auth.signedIn(session),
        onError: (error) => {
          if (throttled(error)) {
            return;
          }
          if (errorDetail(error, 'totpRequired')) {
            setSecondStep(values);
          } else if (!applyFieldErrors(form, error)) {
            setFormError(errorMessage(error));
          }
        },
      },
    );
  };
  const submit = form.onSubmit(signInWith);

  if (secondStep) {
    return <SecondFactorStep credentials={secondStep} onBack={() => setSecondStep(null)} />;
  }

  return (
    <AuthCard
      title="Sign in"
      description="Welcome back. Sign in to follow your pools and your wallet."
      after={
        <>
          <OtherFormLink question="New to Tradepool?" to="/sign-up" next={next}>
            Create an account
          </OtherFormLink>
          <DemoAccounts
            onPick={(account) => {
              const credentials = { email: account.email, password: account.password };
              form.setValues(credentials);
              submitRef.current?.focus();
              signInWith(credentials);
            }}
          />
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {next ? (
            <Alert color="blue" icon={<IconLock size={18} />} data-testid="sign-in-next">
              Sign in to see that page. You will be taken back to it.
            </Alert>
          ) : null}
          {alerts}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            placeholder="you@example.com"
            required
            autoFocus
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <Button
            type="submit"
            fullWidth
            loading={signIn.isPending}
            disabled={blocked}
            ref={submitRef}
            mt={4}
          >
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
