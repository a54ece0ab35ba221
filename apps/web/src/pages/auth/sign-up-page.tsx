import { Button, Stack, TextInput } from '@mantine/core';
import { hasLength, isEmail, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../auth/auth-provider';
import { NewPasswordInput } from '../../auth/new-password-input';
import { safeNextPath } from '../../auth/next-path';
import { PASSWORD_MIN } from '../../auth/password';
import { AuthCard } from '../../components/auth-card';
import { appCode, errorMessage } from '../../lib/errors';
import { applyFieldErrors } from '../../lib/form-errors';
import { trpc } from '../../lib/trpc';
import { useFormRefusals } from './form-alerts';
import { OtherFormLink } from './other-form-link';

type SignUpValues = {
  displayName: string;
  email: string;
  password: string;
};

export function SignUpPage() {
  const auth = useAuth();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const { blocked, throttled, setFormError, alerts } = useFormRefusals('creating accounts from this address');
  const signUp = trpc.session.signUp.useMutation();

  const form = useForm<SignUpValues>({
    initialValues: { displayName: '', email: '', password: '' },
    validate: {
      displayName: hasLength({ max: 80 }, 'At most 80 characters'),
      email: isEmail('Enter a valid email address'),
      password: hasLength({ min: PASSWORD_MIN }, `Use at least ${PASSWORD_MIN} characters`),
    },
  });

  const submit = form.onSubmit(({ displayName, email, password }) => {
    setFormError(null);
    const name = displayName.trim();
    signUp.mutate(
      { email, password, ...(name ? { displayName: name } : {}) },
      {
        onSuccess: (session) => {
          auth.signedIn(session);
          notifications.show({
            color: 'teal',
            title: `Welcome to Tradepool, ${session.user.displayName}`,
            message: 'Your account is ready and you are signed in.',
          });
        },
        onError: (error) => {
          if (throttled(error)) {
            return;
          }
          if (appCode(error) === 'CONFLICT') {
            form.setFieldError('email', 'An account with this email already exists. Sign in instead?');
          } else if (!applyFieldErrors(form, error)) {
            setFormError(errorMessage(error));
          }
        },
      },
    );
  });

  return (
    <AuthCard
      title="Create your account"
      description="Invest in trading pools with a few clicks, and watch every trade as it happens."
      after={
        <OtherFormLink question="Already have an account?" to="/sign-in" next={next}>
          Sign in
        </OtherFormLink>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {alerts}
          <TextInput
            label="Name"
            description="How Tradepool addresses you. Optional."
            autoComplete="name"
            placeholder="Alex Morgan"
            autoFocus
            {...form.getInputProps('displayName')}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            placeholder="you@example.com"
            required
            {...form.getInputProps('email')}
          />
          <NewPasswordInput label="Password" {...form.getInputProps('password')} />
          <Button type="submit" fullWidth loading={signUp.isPending} disabled={blocked} mt={4}>
            Create account
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
